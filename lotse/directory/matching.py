"""Needs matching: for a family's assessed needs, the offers that fit, ranked, each with why.

The directory knows no person: the case builds a :class:`NeedProfile` per need from what the
reader may see (ages, languages, residence statuses, district) and asks here. What the reader
may not see is simply unknown — it never excludes an offer, so a ranking cannot reveal it.

A constant number of queries, whatever the number of offers: the hard conditions (domain,
current, approved provider, area, age) in SQL returning only the few columns the ranking
needs, the candidates' domains, languages and district in three more, then the full rows of
the few offers shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.people.validation import language_name

from .models import Offer, OfferDistrict, OfferDomain, OfferLanguage, OfferLocation, Provider

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


def current_offers(today: date | None = None) -> Q:
    """Offers that are running today, of an approved provider."""
    today = today or timezone.localdate()
    return (
        Q(status=Offer.Status.ACTIVE, provider__status=Provider.Status.APPROVED)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )


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


def _rank(need: NeedProfile, c: _Candidate) -> tuple[int, list[str], list[str]] | None:
    """Score, reasons, warnings — or None when the offer does not fit at all."""
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
            _("in %(languages)s") % {"languages": ", ".join(language_name(x) for x in common)}
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
        reasons.append(_("%(count)s free places") % {"count": c.free_places})
    elif c.free_places == 0 and c.waiting_list:
        warnings.append(_("full: waiting list"))
    elif c.free_places == 0:
        score -= 2
        warnings.append(_("full"))
    if not c.accepts_referrals:
        warnings.append(_("referrals paused"))
    return score, reasons, warnings


def match_needs(
    needs: Sequence[NeedProfile], *, per_need: int = PER_NEED, today: date | None = None
) -> list[NeedMatches]:
    """The best offers for each need, best first. Two queries for all needs together."""
    if not needs:
        return []
    domains = sorted({need.domain for need in needs})
    districts = {need.district for need in needs}
    district = next(iter(districts)) if len(districts) == 1 else ""
    ages = [p.age for need in needs for p in need.persons if p.age is not None]
    rows = list(
        Offer.objects.filter(
            current_offers(today),
            _area_q(district),
            _age_q(ages),
            Exists(OfferDomain.objects.filter(offer_id=OuterRef("pk"), domain__in=domains)),
        ).values(
            "pk",
            "citywide",
            "residence_kinds",
            "sexes",
            "family_situations",
            "free_places",
            "waiting_list",
            "accepts_referrals",
            "minimum_age",
            "maximum_age",
        )
    )
    ids = [row["pk"] for row in rows]
    domain_rows: dict[int, list[tuple[int, str]]] = {}
    languages: dict[int, set[str]] = {}
    local: set[int] = set()
    if ids:
        for offer_id, domain, position in OfferDomain.objects.filter(offer_id__in=ids).values_list(
            "offer_id", "domain", "position"
        ):
            domain_rows.setdefault(offer_id, []).append((position, domain))
        for offer_id, code in OfferLanguage.objects.filter(offer_id__in=ids).values_list(
            "offer_id", "code"
        ):
            languages.setdefault(offer_id, set()).add(code)
        if district:
            local = set(
                OfferLocation.objects.filter(
                    offer_id__in=ids, location__district=district
                ).values_list("offer_id", flat=True)
            ) | set(
                OfferDistrict.objects.filter(offer_id__in=ids, district=district).values_list(
                    "offer_id", flat=True
                )
            )
    candidates = []
    for row in rows:
        offer_domains = sorted(domain_rows.get(row["pk"], []))
        candidates.append(
            _Candidate(
                pk=row["pk"],
                main=offer_domains[0][1] if offer_domains else "",
                domains={d for _, d in offer_domains},
                languages=languages.get(row["pk"], set()),
                in_district=row["pk"] in local,
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
        )
    chosen: list[tuple[NeedProfile, list[tuple[int, _Candidate, list[str], list[str]]]]] = []
    for need in needs:
        need_ages = [p.age for p in need.persons if p.age is not None]
        scored = []
        for c in candidates:
            if need.domain not in c.domains:
                continue
            if need_ages and not any(
                (c.min_age is None or c.min_age <= a) and (c.max_age is None or c.max_age >= a)
                for a in need_ages
            ):
                continue
            ranked = _rank(need, c)
            if ranked is not None:
                scored.append((ranked[0], c, ranked[1], ranked[2]))
        scored.sort(key=lambda s: (-s[0], s[1].pk))
        chosen.append((need, scored[:per_need]))
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
