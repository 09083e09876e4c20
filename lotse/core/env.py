"""Typed readers for ``LOTSE_*`` environment variables.

Every reader fails loudly with the variable's name: a typo in a deployment must stop the
server at start-up, not surface later as a silent default.
"""

from __future__ import annotations

import os

PREFIX = "LOTSE_"


class ConfigurationError(Exception):
    """A setting is missing or malformed."""


def _raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    if value is None:
        if default is None:
            raise ConfigurationError(f"{PREFIX}{name} must be set.")
        return default
    return value


def env_optional_str(name: str) -> str | None:
    return _raw(name)


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{PREFIX}{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{PREFIX}{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{PREFIX}{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        if default is None:
            raise ConfigurationError(f"{PREFIX}{name} must be set (comma-separated).")
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_email(name: str, default: str) -> str:
    """An e-mail address, or ``default`` ("" for none)."""
    value = env_str(name, default)
    local, at, domain = value.partition("@")
    if value and (
        not at
        or not local
        or "@" in domain
        or "." not in domain.strip(".")
        or len(value.split()) > 1
    ):
        raise ConfigurationError(f"{PREFIX}{name} must be an e-mail address, not {value!r}.")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigurationError(
            f"{PREFIX}{name} must be one of {', '.join(choices)}, not {value!r}."
        )
    return value
