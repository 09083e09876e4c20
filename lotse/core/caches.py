"""``LOTSE_CACHE_URL``: Django's cache configuration from one URL.

App nodes behind the proxy must keep nothing that the next request (perhaps served by another
node) would miss, so production uses a cache every node shares: Redis or the database.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lotse.core.env import ConfigurationError

_SCHEMES = "redis://, rediss://, db://TABLE, locmem://, dummy://"


def cache_from_url(url: str) -> dict[str, Any]:
    """The ``CACHES["default"]`` entry for ``url``; a malformed one names the variable."""
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss", "unix"}:
        # Django's own backend with the redis package; the URL goes to redis-py as it is.
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "db":
        table = parts.netloc or parts.path.lstrip("/")
        if not table.replace("_", "").isalnum():
            raise ConfigurationError(
                f"LOTSE_CACHE_URL db:// needs a table name (db://lotse_cache), not {url!r}."
            )
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lotse"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ConfigurationError(f"LOTSE_CACHE_URL must start with one of {_SCHEMES}, not {url!r}.")
