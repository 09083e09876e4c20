"""Django's database sessions, refusing session cookies that no session key can be.

Django makes session keys of lowercase letters and digits, but looks up whatever the cookie
says: ``Cookie: sessionid="abcdefgh\\000x"`` (an octal escape Django decodes) asks PostgreSQL
about a NUL byte, which it refuses with an error — a server error on every URL. Here such a
cookie is no session, exactly like an unknown or expired one.

Enabled with ``SESSION_ENGINE = "lotse.core.sessions"``.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_KEY = re.compile(f"[{VALID_KEY_CHARS}]{{8,40}}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and _KEY.fullmatch(key or "") is not None
