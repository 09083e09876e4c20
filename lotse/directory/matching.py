"""Needs matching: for a family's assessed needs, the offers that fit, ranked, each with why.

The directory knows no person: the case builds a :class:`NeedProfile` per need from what the
reader may see (ages, languages, residence statuses, district) and asks here. What the reader
may not see is simply unknown — it never excludes an offer, so a ranking cannot reveal it.

A constant number of queries, whatever the number of offers: per need, the hard conditions
(domain, current, approved provider, area, age) and most of the score in SQL, reading only the
best candidates (see ``_best``); then the full rows of the few offers shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext, ngettext

from lotse.people.validation import language_name

from .models import Offer, OfferDistrict, OfferDomain, OfferLanguage, OfferLocation
from .selectors import current_offer_q

#: How many offers are shown per need.
PER_NEED = 5


@dataclass(frozen=True)
class PersonProfile:
    """What the reader knows of one person with the need; None/empty = unknown."""

    age: int | None = None
    sex: str = ""
    #: ISO codes of the languages the person speaks, best first, German excluded
    languages: tuple[str, ...] = ()
    #: whether the person gets by in German (level B1 or better)
    german: bool = False
    residence_kind: str = ""


@dataclass(frozen=True)
class NeedProfile:
    key: str
    domain: str
    level: int
    persons: tuple[PersonProfile, ...]
    district: str = ""
    family_situations: tuple[str, ...] = ()


@dataclass
class Match:
    offer: Offer
    score: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class NeedMatches:
    need: NeedProfile
    matches: list[Match]


def _area_q(district: str) -> Q:
    if not district:
        return Q()
    return Q(citywide=True) | Q(
        Exists(OfferDistrict.objects.filter(offer_id=OuterRef("pk"), district=district))
    )


def _age_q(ages: Sequence[int]) -> Q:
    """At least one person of the need fits the offer's age range (unknown ages fit)."""
    if not ages:
        return Q()
    fits = Q(pk__in=[])
    for age in set(ages):
        fits |= (Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)) & (
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
        )
    return fits


@dataclass
class _Candidate:
    pk: int
    main: str
    domains: set[str]
    languages: set[str]
    in_district: bool
    citywide: bool
    residence_kinds: list[str]
    sexes: list[str]
    family_situations: list[str]
    free_places: int | None
    waiting_list: bool
    accepts_referrals: bool
    min_age: int | None
    max_age: int | None


def _untranslated(text: str) -> str:
    return text


def _rank(
    need: NeedProfile, c: _Candidate, *, explain: bool = True
) -> tuple[int, list[str], list[str]] | None:
    """Score, reasons, warnings — or None when the offer does not fit at all. Without
    ``explain`` the texts are not translated (ranking many candidates needs only the score)."""
    _ = gettext if explain else _untranslated
    reasons: list[str] = []
    warnings: list[str] = []
    score = 0
    if c.main == need.domain:
        score += 3
        reasons.append(_("main life domain of the offer"))
    else:
        score += 1
        reasons.append(_("also covers this life domain"))
    # Eligibility: a known residence status that the offer does not take excludes it; an
    # unknown one is a warning to check, never a silent exclusion.
    kinds = [p.residence_kind for p in need.persons]
    if c.residence_kinds:
        if kinds and all(k and k not in c.residence_kinds for k in kinds):
            return None
        if any(not k for k in kinds):
            warnings.append(_("open only for some residence statuses: check eligibility"))
        else:
            reasons.append(_("residence status fits"))
    sexes = [p.sex for p in need.persons if p.sex and p.sex != "x"]
    if c.sexes and sexes and not any(s in c.sexes for s in sexes):
        return None
    ages = [p.age for p in need.persons if p.age is not None]
    if (c.min_age is not None or c.max_age is not None) and ages:
        reasons.append(_("age fits"))
    spoken = [code for p in need.persons for code in p.languages]
    common = [code for code in dict.fromkeys(spoken) if code in c.languages]
    if common:
        score += 3
        reasons.append(
            _("in %(languages)s")
            % {"languages": ", ".join(language_name(x) for x in common) if explain else ""}
        )
    elif spoken and not all(p.german for p in need.persons):
        warnings.append(_("not in the family's languages: interpreter needed"))
    if c.in_district:
        score += 2
        reasons.append(_("in the family's district"))
    elif c.citywide:
        score += 1
        reasons.append(_("city-wide"))
    if set(need.family_situations) & set(c.family_situations):
        score += 1
        reasons.append(_("for this family situation"))
    if c.free_places is not None and c.free_places > 0:
        score += 2
        reasons.append(
            (
                ngettext("%(count)s free place", "%(count)s free places", c.free_places)
                if explain
                else "%(count)s"
            )
            % {"count": c.free_places}
        )
    elif c.free_places == 0 and c.waiting_list:
        warnings.append(_("full: waiting list"))
    elif c.free_places == 0:
        score -= 2
        warnings.append(_("full"))
    if not c.accepts_referrals:
        warnings.append(_("referrals paused"))
    return score, reasons, warnings


#: Candidates read per query, best SQL score first; more pages only when the ranking needs them.
PAGE = 40


def _sql_scored(need: NeedProfile, today: date | None) -> QuerySet[Offer]:
    """The need's candidates with the part of the score SQL can compute (everything but the
    family situation, which adds at most 1): hard conditions as filters, best first."""
    ages = [p.age for p in need.persons if p.age is not None]
    spoken = sorted({code for p in need.persons for code in p.languages})
    in_district = (
        Exists(
            OfferLocation.objects.filter(offer_id=OuterRef("pk"), location__district=need.district)
        )
        | Exists(OfferDistrict.objects.filter(offer_id=OuterRef("pk"), district=need.district))
        if need.district
        else Value(False)
    )
    return (
        Offer.objects.filter(
            current_offer_q(today),
            _area_q(need.district),
            _age_q(ages),
            Exists(OfferDomain.objects.filter(offer_id=OuterRef("pk"), domain=need.domain)),
        )
        .annotate(
            is_main=Exists(
                OfferDomain.objects.filter(offer_id=OuterRef("pk"), domain=need.domain, position=0)
            ),
            speaks=Exists(OfferLanguage.objects.filter(offer_id=OuterRef("pk"), code__in=spoken))
            if spoken
            else Value(False),
            local=ExpressionWrapper(in_district, output_field=BooleanField()),
        )
        .annotate(
            sql_score=Case(When(is_main=True, then=3), default=1)
            + Case(When(speaks=True, then=3), default=0)
            + Case(When(local=True, then=2), When(citywide=True, then=1), default=0)
            + Case(
                When(free_places__gt=0, then=2),
                When(free_places=0, waiting_list=False, then=-2),
                default=0,
            )
        )
        .order_by("-sql_score", "pk")
    )


_FIELDS = (
    "pk",
    "is_main",
    "local",
    "citywide",
    "residence_kinds",
    "sexes",
    "family_situations",
    "free_places",
    "waiting_list",
    "accepts_referrals",
    "minimum_age",
    "maximum_age",
    "sql_score",
)


def _candidates(rows: list[dict[str, Any]], need: NeedProfile) -> list[_Candidate]:
    languages: dict[int, set[str]] = {}
    for offer_id, code in OfferLanguage.objects.filter(
        offer_id__in=[row["pk"] for row in rows]
    ).values_list("offer_id", "code"):
        languages.setdefault(offer_id, set()).add(code)
    return [
        _Candidate(
            pk=row["pk"],
            main=need.domain if row["is_main"] else "",
            domains={need.domain},
            languages=languages.get(row["pk"], set()),
            in_district=bool(row["local"]),
            citywide=row["citywide"],
            residence_kinds=row["residence_kinds"] or [],
            sexes=row["sexes"] or [],
            family_situations=row["family_situations"] or [],
            free_places=row["free_places"],
            waiting_list=row["waiting_list"],
            accepts_referrals=row["accepts_referrals"],
            min_age=row["minimum_age"],
            max_age=row["maximum_age"],
        )
        for row in rows
    ]


Scored = tuple[int, _Candidate, list[str], list[str]]


def _best(need: NeedProfile, per_need: int, today: date | None) -> list[Scored]:
    """The ``per_need`` best offers by the full ranking. Reads pages of candidates in SQL
    score order until no unread candidate can beat the last one kept (the family situation
    adds at most 1): usually one page, two queries."""
    queryset = _sql_scored(need, today).values(*_FIELDS)
    kept: list[Scored] = []
    offset = 0
    while True:
        rows = list(queryset[offset : offset + PAGE])
        for candidate in _candidates(rows, need):
            ranked = _rank(need, candidate, explain=False)
            if ranked is not None:
                kept.append((ranked[0], candidate, [], []))
        kept.sort(key=lambda s: (-s[0], s[1].pk))
        offset += PAGE
        if len(rows) < PAGE:
            break
        best_unread = rows[-1]["sql_score"] + 1
        if len(kept) >= per_need and best_unread < kept[per_need - 1][0]:
            break
    explained = []
    for score, candidate, _reasons, _warnings in kept[:per_need]:
        ranked = _rank(need, candidate)
        assert ranked is not None  # noqa: S101 - ranked above, with the same data
        explained.append((score, candidate, ranked[1], ranked[2]))
    return explained


def match_needs(
    needs: Sequence[NeedProfile], *, per_need: int = PER_NEED, today: date | None = None
) -> list[NeedMatches]:
    """The best offers for each need, best first: two indexed queries per need (usually),
    then the shown offers' details — constant in the number of offers."""
    if not needs:
        return []
    chosen = [(need, _best(need, per_need, today)) for need in needs]
    shown_ids = {c.pk for _, picks in chosen for _, c, _, _ in picks}
    offers = {
        offer.pk: offer
        for offer in Offer.objects.filter(pk__in=shown_ids)
        .select_related("provider", "provider__agency")
        .prefetch_related("languages", "at_locations__location", "domain_rows")
    }
    return [
        NeedMatches(
            need,
            [
                Match(offers[c.pk], score, reasons, warnings)
                for score, c, reasons, warnings in picks
            ],
        )
        for need, picks in chosen
    ]
