"""Django's database sessions, refusing session cookies that no session key can be.

Django makes session keys of lowercase letters and digits, but looks up whatever the cookie
says: ``Cookie: sessionid="abcdefgh\\000x"`` (an octal escape Django decodes) asks PostgreSQL
about a NUL byte, which it refuses with an error — a server error on every URL. Here such a
cookie is no session, exactly like an unknown or expired one.

The idle timeout renews the session's expiry on every request (``SESSION_SAVE_EVERY_REQUEST``).
A session whose data did not change is written at most once a minute: the idle timeout is then
29 to 30 minutes instead of exactly 30, and a page costs no write transaction of its own.

Enabled with ``SESSION_ENGINE = "lotse.core.sessions"``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

_KEY = re.compile(f"[{VALID_KEY_CHARS}]{{8,40}}")
#: An unchanged session is written again once its stored expiry is this much older.
RENEW_AFTER = timedelta(seconds=60)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and _KEY.fullmatch(key or "") is not None

    def _get_session_from_db(self) -> Any:
        stored = super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs
        self._stored_expiry: datetime | None = stored.expire_date if stored else None
        return stored

    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self._renewed_recently():
            return
        super().save(must_create=must_create)

    def _renewed_recently(self) -> bool:
        stored = getattr(self, "_stored_expiry", None)
        if stored is None or self.session_key is None:
            return False
        renewed_at = stored - timedelta(seconds=self.get_expiry_age())
        return bool(timezone.now() - renewed_at < RENEW_AFTER)
