"""Paging keeps the page asked for within the pages there are."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from lotse.core.paging import Paging


@pytest.mark.parametrize(
    ("page", "number"), [("1", 1), ("3", 3), ("9", 4), ("0", 1), ("-2", 1), ("x", 1), ("", 1)]
)
def test_the_page_asked_for_lies_within_the_pages_there_are(page, number):
    paging = Paging.of(RequestFactory().get("/", {"page": page}), total=76, per_page=25)

    assert paging.number == number
    assert paging.num_pages == 4


def test_a_page_knows_what_it_shows_and_its_neighbours():
    paging = Paging.of(RequestFactory().get("/", {"page": "2"}), total=76, per_page=25)

    assert (paging.offset, paging.end) == (25, 50)
    assert (paging.first_shown, paging.last_shown) == (26, 50)
    assert (paging.has_previous, paging.previous, paging.has_next, paging.next) == (
        True,
        1,
        True,
        3,
    )


def test_an_empty_list_has_one_empty_page():
    paging = Paging.of(RequestFactory().get("/"), total=0, per_page=25)

    assert (paging.number, paging.num_pages, paging.first_shown, paging.last_shown) == (1, 1, 0, 0)
    assert not paging.has_previous
    assert not paging.has_next
