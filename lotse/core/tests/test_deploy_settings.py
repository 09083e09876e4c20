"""What the deployment in ``deploy/`` relies on: a shared cache, and every setting documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lotse.core.caches import cache_from_url
from lotse.core.env import ConfigurationError

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://127.0.0.1:6379/1", "redis.RedisCache", "redis://127.0.0.1:6379/1"),
        ("rediss://cache.example:6380/0", "redis.RedisCache", "rediss://cache.example:6380/0"),
        ("db://lotse_cache", "db.DatabaseCache", "lotse_cache"),
        ("locmem://", "locmem.LocMemCache", "lotse"),
    ],
)
def test_cache_urls_name_djangos_own_backends(url, backend, location):
    config = cache_from_url(url)
    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config["LOCATION"] == location


@pytest.mark.parametrize("url", ["memcached://127.0.0.1", "db://", "db://x;drop", "127.0.0.1:6379"])
def test_a_bad_cache_url_names_the_variable(url):
    with pytest.raises(ConfigurationError, match="LOTSE_CACHE_URL"):
        cache_from_url(url)


def test_the_test_settings_cache_in_the_process():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _variables_read_by_lotse() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    readers = "str|bool|int|list|choice|optional_str|email"
    names = re.findall(rf'env_(?:{readers})\(\s*"([A-Z0-9_]+)"', source)
    gunicorn = (ROOT / "deploy" / "gunicorn_conf.py").read_text(encoding="utf-8")
    node_sizes = set(re.findall(r'"(LOTSE_[A-Z0-9_]+)"', gunicorn))
    # Read by the test settings only; a server never sets it.
    return ({f"LOTSE_{name}" for name in names} | node_sizes) - {"LOTSE_TEST_DATABASE_URL"}


def test_the_example_environment_documents_every_setting():
    example = (ROOT / "deploy" / "lotse.env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(LOTSE_[A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert _variables_read_by_lotse() - documented == set()
    assert documented - _variables_read_by_lotse() == set()


def _request(remote: str, forwarded: str | None = None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/")
    request.META.update(extra)
    return request


def test_without_a_proxy_the_connecting_address_is_the_client(settings):
    from lotse.core.client_ip import client_ip_address

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_behind_nginx_the_address_nginx_saw_is_the_client_whatever_the_client_claims(settings):
    from lotse.core.client_ip import client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(_request("127.0.0.1", "10.20.30.40")) == "10.20.30.40"
    # A client sending its own X-Forwarded-For only adds entries on the left.
    assert client_ip_address(_request("127.0.0.1", "1.2.3.4, 10.20.30.40")) == "10.20.30.40"
    # A request that bypassed the proxy: the connecting address.
    assert client_ip_address(_request("127.0.0.1")) == "127.0.0.1"


def test_axes_throttles_by_the_forwarded_address():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "lotse.core.client_ip.client_ip_address"
