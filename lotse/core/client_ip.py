"""The client's address behind the reverse proxy, for login throttling (django-axes).

Behind nginx every request comes from 127.0.0.1: throttling on that address would lock a user
name for the whole city. Each trusted proxy appends the address it saw to ``X-Forwarded-For``
(nginx: ``$proxy_add_x_forwarded_for``), so with ``LOTSE_TRUSTED_PROXY_COUNT=N`` the N-th entry
from the right is the client; entries further left came from the client and are not trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    remote: str | None = request.META.get("REMOTE_ADDR")
    count = int(settings.TRUSTED_PROXY_COUNT)
    if count < 1:
        return remote
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < count:
        # Not through all the proxies we were told about: what connected is all we know.
        return remote
    return forwarded[-count]
