from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Field, Schema

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
