from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema

ItemT = TypeVar("ItemT")


class ListOut(Schema, Generic[ItemT]):
    items: list[ItemT]
    count: int


class ErrorOut(Schema):
    detail: str
