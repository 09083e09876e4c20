"""The text search of ``offers_search(q=...)``: every word must occur, case-insensitively, in the
offer's name, its description or its provider's name — and, on PostgreSQL, the trigram indexes
of migration 0002 serve exactly the expressions the search compares."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.directory.models import Offer, OfferDomain, Provider
from lotse.directory.selectors import Q_MAX_TERMS, _text_q, offers_search

pytestmark = pytest.mark.django_db


def make_provider(name: str, **fields: Any) -> Provider:
    fields.setdefault("status", Provider.Status.APPROVED)
    return Provider.objects.create(name=name, description="Ein Träger.", **fields)


def make_offer(provider: Provider, name: str, description: str = "Ohne Anmeldung.") -> Offer:
    offer = Offer.objects.create(
        provider=provider, name=name, description=description, checked_on=timezone.localdate()
    )
    OfferDomain.objects.create(offer=offer, domain="language", position=0)
    return offer


def found(q: str, **filters: Any) -> list[str]:
    return [offer.name for offer in offers_search(q=q, **filters)]


@pytest.fixture
def directory() -> None:
    caritas = make_provider("Caritas Wuppertal")
    diakonie = make_provider("Diakonie Barmen")
    make_offer(caritas, "Sprachcafé", "Deutsch sprechen bei Kaffee und Kuchen.")
    make_offer(caritas, "Mieterberatung", "Hilfe bei Fragen zur Miete.")
    make_offer(diakonie, "Hausaufgabenhilfe", "Für Kinder der Grundschule, 100% kostenlos.")
    make_offer(diakonie, "Elterncafé", "Eltern_treffen sich.")
    hidden = make_provider("Caritas Neu", status=Provider.Status.PROPOSED)
    make_offer(hidden, "Sprachkurs", "Deutsch lernen.")


def test_a_word_only_in_the_provider_name_finds_all_its_offers(directory):
    assert found("diakonie") == ["Elterncafé", "Hausaufgabenhilfe"]
    # An offer of a provider not yet approved stays out, even when its provider's name fits.
    assert found("caritas") == ["Mieterberatung", "Sprachcafé"]


def test_a_word_only_in_the_description_finds_the_offer(directory):
    assert found("kuchen") == ["Sprachcafé"]
    assert found("grundschule") == ["Hausaufgabenhilfe"]


def test_a_word_in_the_name_finds_the_offer(directory):
    assert found("beratung") == ["Mieterberatung"]


def test_case_does_not_matter(directory):
    # (On SQLite only ASCII letters fold: "É" stays apart from "é" there.)
    assert found("SPRACHCAF") == found("sprachcaf") == ["Sprachcafé"]
    assert found("DiAkOnIe") == ["Elterncafé", "Hausaufgabenhilfe"]
    assert found("KUCHEN") == ["Sprachcafé"]


def test_every_word_must_occur_each_in_any_of_the_three_texts(directory):
    # name + provider name, description + provider name, name + description
    assert found("hilfe diakonie") == ["Hausaufgabenhilfe"]
    assert found("kaffee caritas") == ["Sprachcafé"]
    assert found("miet fragen") == ["Mieterberatung"]
    assert found("kaffee diakonie") == []
    assert found("  sprachcafé   kuchen  ") == ["Sprachcafé"]


def test_a_word_does_not_match_across_two_texts(directory):
    # "Sprachcafé" + " " + "Deutsch ..." — nothing joins the texts together.
    assert found("sprachcafédeutsch") == []
    assert found("wuppertalsprachcafé") == []


def test_like_wildcards_in_a_word_are_plain_characters(directory):
    assert found("100%") == ["Hausaufgabenhilfe"]
    assert found("%") == ["Hausaufgabenhilfe"]
    assert found("eltern_treffen") == ["Elterncafé"]
    assert found("_") == ["Elterncafé"]
    assert found("eltern%treffen") == []


def test_the_text_search_combines_with_the_other_filters(directory):
    assert found("caritas", domain="language") == ["Mieterberatung", "Sprachcafé"]
    assert found("caritas", domain="housing") == []


def test_an_empty_search_finds_every_current_offer(directory):
    every = ["Elterncafé", "Hausaufgabenhilfe", "Mieterberatung", "Sprachcafé"]
    assert found("") == found("   ") == every


def test_words_beyond_the_limit_are_not_searched_for(directory):
    words = ["caritas"] * Q_MAX_TERMS + ["nirgends"]
    assert found(" ".join(words)) == ["Mieterberatung", "Sprachcafé"]


def test_a_page_of_a_text_search_costs_the_same_queries_as_any_page(directory):
    def queries(**filters: Any) -> int:
        offers = offers_search(**filters)
        with CaptureQueriesContext(connection) as captured:
            offers.count()
            list(offers[:25])
        return len(captured.captured_queries)

    assert queries(q="caritas kaffee") == queries() == 7


def _plan(q: str) -> str:
    """The plan of the text condition alone, with sequential and plain index scans forbidden:
    tiny test tables would be read whole otherwise, and the status index would serve."""
    sql, params = Offer.objects.filter(_text_q(q)).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_on_postgresql_the_trigram_indexes_serve_the_text_search(directory):
    plan = _plan("kaffee")
    # The indexes are on exactly the expressions Django's icontains compares ...
    assert "dir_offer_name_trgm" in plan, plan
    assert "dir_offer_description_trgm" in plan, plan
    assert "dir_provider_name_trgm" in plan, plan
    # ... and the provider arm is a lookup of provider_id, one arm of the same BitmapOr.
    assert "BitmapOr" in plan, plan
    assert "provider_id = ANY" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL folds all letters")
def test_on_postgresql_the_case_of_umlauts_does_not_matter_either(directory):
    make_offer(make_provider("Ärztekammer"), "Übersetzungshilfe", "Für Ältere.")
    assert found("ärztekammer") == ["Übersetzungshilfe"]
    assert found("ÜBERSETZUNG") == ["Übersetzungshilfe"]
    assert found("ältere") == ["Übersetzungshilfe"]
    assert found("SPRACHCAFÉ") == ["Sprachcafé"]
