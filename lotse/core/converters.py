"""URL converters: an id in a URL that no database column can hold is simply not found."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A positive row id of at most 18 digits (below 2**63, the size of a BIGINT).

    With ``<int:…>`` a 30-digit id reached the database and failed there with a server error;
    here it does not match, so the answer is the same 404 as for any unknown id.
    """

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
