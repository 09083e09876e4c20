from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from ninja import Field, Path, Schema
from pydantic import BeforeValidator, field_validator

from lotse.core.text import bad_character_message, unstorable_character

ItemT = TypeVar("ItemT")


class ListOut(Schema, Generic[ItemT]):
    items: list[ItemT]
    count: int
    count_exact: bool = Field(
        True,
        description="False when there are more than `count` items: lists over everything "
        "you may see stop counting at 10,000.",
    )


class ErrorOut(Schema):
    detail: str


# Row ids in paths: a larger number cannot be a row (BIGINT), so it is refused as invalid
# input (422 naming the parameter) before any database sees it.
MAX_ID = 10**18 - 1
ObjectId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="The id of the item.")]


def storable(value: Any) -> Any:
    """A string (or list of strings) of the input, refused if no database may be asked about
    it (NUL, lone surrogates): 422 naming the parameter instead of a server error. IDs and
    codes are only looked up, so no service cleans them; nested objects check their own
    fields."""
    for item in value if isinstance(value, list) else [value]:
        bad = unstorable_character(item) if isinstance(item, str) else None
        if bad is not None:
            raise ValueError(bad_character_message(bad))
    return value


class CheckedInput(Schema):
    """Base of the API's body and query schemas: every string field passes ``storable``."""

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


#: A Lotse ID in a path (persons, households).
LotseId = Annotated[
    str,
    BeforeValidator(storable),
    Path(..., description="The Lotse ID: P-7K3M-9QX2 for a person, H-… for a household."),
]
