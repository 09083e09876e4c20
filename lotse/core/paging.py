"""Paging of lists whose total is known: the page asked for, kept within the pages there are.

Shown by ``paging/_paging.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Paging:
    """One page of a list whose total is known (counted from indexed parts, not by OFFSET)."""

    number: int
    per_page: int
    total: int

    @classmethod
    def of(cls, request: HttpRequest, *, total: int, per_page: int) -> Paging:
        try:
            wanted = int(request.GET.get("page", "1"))
        except ValueError:
            wanted = 1
        last = max(1, -(-total // per_page))
        return cls(number=min(max(1, wanted), last), per_page=per_page, total=total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def end(self) -> int:
        return self.offset + self.per_page

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous(self) -> int:
        return self.number - 1

    @property
    def next(self) -> int:
        return self.number + 1

    @property
    def first_shown(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last_shown(self) -> int:
        return min(self.end, self.total)
