"""Reads of the directory of offers.

Who uses :func:`offers_search`: the offer list and the HSDS export of the API
(``lotse.api.directory``), the management command ``directory_export`` and the public
directory under ``/angebote/`` (``public_views``, with ``public_only=True``), which also uses
``current_offer_q`` and ``with_offer_details``. Keep these signatures stable: several surfaces
call them by keyword.

Offers are not personal data (``compartment_exempt``): there is no access scope here, only the
rule of what counts as *current* — status active, valid today, provider approved. Everything a
list page shows is prefetched, so a page of offers costs the same few queries whatever its size.

On PostgreSQL the text search is served by trigram indexes (``pg_trgm``, migration 0002) on
``UPPER(name)`` and ``UPPER(description)`` of the offer and ``UPPER(name)`` of the provider — the
expressions Django's ``icontains`` compares — and the first page of a list by the index on
``(name, id)``, the order of every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from .models import (
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)

#: Longest search text taken into account (the API refuses longer ones naming ``q``).
Q_MAX_LENGTH = 200
#: More words than this are not searched for: each one is a lookup in three text indexes.
Q_MAX_TERMS = 8


class _InSubquery(Expression):
    """``column IN (subquery)`` as a condition; on PostgreSQL ``column = ANY(ARRAY(subquery))``.

    The same rows, but PostgreSQL runs the ``ARRAY`` subquery once up front (an InitPlan) and
    then looks ``column`` up in its index, so this can be one arm of an ``OR`` whose other arms
    are index scans too (a ``BitmapOr``); an ``IN (subquery)`` there is a hashed SubPlan,
    checked row by row, and turns the whole ``OR`` into a sequential scan."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, queryset: QuerySet[Any]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.subquery: Any = Subquery(queryset)

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.column, self.subquery = exprs

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        template: str = "%(column)s IN %(subquery)s",
    ) -> tuple[str, tuple[Any, ...]]:
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)  # "(SELECT ...)"
        sql = template % {"column": column, "subquery": subquery}
        return sql, (*column_params, *subquery_params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(compiler, connection, template="%(column)s = ANY(ARRAY%(subquery)s)")


def _text_q(term: str) -> Q:
    """``term`` occurs, case-insensitively, in the offer's name or description or in its
    provider's name. The provider arm is an index lookup of the offer's ``provider_id`` among
    the providers whose name matches (not a condition on the joined provider row), so that on
    PostgreSQL all three arms are index scans of the offer table (see :class:`_InSubquery`)."""
    providers = Provider.objects.filter(name__icontains=term).order_by().values("pk")
    return (
        Q(name__icontains=term)
        | Q(description__icontains=term)
        | Q(_InSubquery("provider_id", providers))
    )


def current_offer_q(today: date | None = None) -> Q:
    """Offers running today (active, inside their validity) of an approved provider."""
    today = today or timezone.localdate()
    return (
        Q(status=Offer.Status.ACTIVE, provider__status=Provider.Status.APPROVED)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )


def with_offer_details(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """``offers`` with what a list or an export shows: provider, domains, languages, districts,
    locations and schedules (six queries per page or chunk, whatever its size)."""
    return offers.select_related("provider").prefetch_related(
        Prefetch("domain_rows", queryset=OfferDomain.objects.order_by("position", "pk")),
        Prefetch("languages", queryset=OfferLanguage.objects.order_by("pk")),
        Prefetch("districts", queryset=OfferDistrict.objects.order_by("pk")),
        Prefetch(
            "at_locations",
            queryset=OfferLocation.objects.select_related("location").order_by("pk"),
        ),
        Prefetch("schedules", queryset=Schedule.objects.select_related("location").order_by("pk")),
    )


def offers_search(
    *,
    domain: str | None = None,
    language: str | None = None,
    district: str | None = None,
    q: str = "",
    age: int | None = None,
    public_only: bool = False,
) -> QuerySet[Offer]:
    """Current offers of approved providers, filtered, by name, with their details prefetched.

    - ``domain``: a life-domain code (``LifeDomain``) the offer covers, main or not;
    - ``language``: an ISO 639 code the offer is given in;
    - ``district``: a district code the offer serves — city-wide offers serve every district;
    - ``q``: every word must occur, case-insensitively, in the name, description or provider
      name (on SQLite only ASCII letters fold case; PostgreSQL folds all);
    - ``age``: an age inside the offer's age range (an open bound fits every age);
    - ``public_only``: only offers shown in the public directory.

    The domain, language and district filters are ``EXISTS`` over the child rows, each served
    by the unique index that starts with the filtered column; no filter joins rows, so no offer
    appears twice and no ``DISTINCT`` is needed.
    """
    offers = Offer.objects.filter(current_offer_q())
    if public_only:
        offers = offers.filter(is_public=True)
    if domain:
        offers = offers.filter(
            Exists(OfferDomain.objects.filter(offer_id=OuterRef("pk"), domain=domain))
        )
    if language:
        offers = offers.filter(
            Exists(
                OfferLanguage.objects.filter(offer_id=OuterRef("pk"), code=language.strip().lower())
            )
        )
    if district:
        offers = offers.filter(
            Q(citywide=True)
            | Q(Exists(OfferDistrict.objects.filter(offer_id=OuterRef("pk"), district=district)))
        )
    if age is not None:
        offers = offers.filter(
            (Q(minimum_age__isnull=True) | Q(minimum_age__lte=age))
            & (Q(maximum_age__isnull=True) | Q(maximum_age__gte=age))
        )
    for term in (q or "")[:Q_MAX_LENGTH].split()[:Q_MAX_TERMS]:
        offers = offers.filter(_text_q(term))
    return with_offer_details(offers).order_by("name", "pk")
