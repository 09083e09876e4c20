from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from ninja import Field, Path, Schema

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
