"""The access core: who may see which item about a person, and why (DESIGN §3).

Two faces, used by every list, detail, search, count, export, report and API response:

* :func:`visible_q` — a filter for querysets: one condition over indexed columns and one
  ``EXISTS`` on the grant table, no per-row Python;
* :func:`explain` — the decision for one item with its basis, for the "Warum sehe ich das?"
  panel, ``access_basis`` in the API and the audit trail.

Order of checks: firewall (denies, whatever else holds) → own agency → consent → legal basis →
break-glass. Entrusted items (§ 65 SGB VIII) open only by a consent that includes them.
The module knows content only through its compartment (see ``categories.Compartment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability

from . import firewall
from .categories import Compartment, DataCategory
from .models import BreakGlass, ConsentGrant, LegalBasis

NOTHING = Q(pk__in=[])


class Basis:
    OWN_AGENCY = "own_agency"
    CONSENT = "consent"
    LEGAL_BASIS = "legal_basis"
    BREAK_GLASS = "break_glass"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    basis: str
    explanation: str


def may_read_content(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.READ_CASE_CONTENT)


def compartment_of(model: type[Model] | Model) -> Compartment:
    compartment = getattr(model, "compartment", None)
    if not isinstance(compartment, Compartment):
        raise TypeError(f"{model} is not a compartmented item")
    return compartment


@dataclass(frozen=True)
class _Context:
    """What the policy needs to know about the acting member, read once per request."""

    agency_id: int
    agency_kind: str
    user_id: int
    blocked: frozenset[str]
    consent_only: frozenset[str]
    # category → ids of agencies whose items of that category a legal basis opens
    legal_sources: dict[str, frozenset[int]]
    legal_citations: dict[tuple[str, str], LegalBasis]
    break_glass_subjects: dict[int, BreakGlass]
    today: date


def _context(membership: Membership) -> _Context:
    cached: _Context | None = getattr(membership, "_access_context", None)
    if cached is not None:
        return cached
    agency = membership.agency
    kind = agency.kind
    bases = list(LegalBasis.objects.filter(is_active=True, to_kind=kind))
    kinds_by_category: dict[str, set[str]] = {}
    citations: dict[tuple[str, str], LegalBasis] = {}
    for basis in bases:
        for category in basis.categories:
            kinds_by_category.setdefault(category, set()).add(basis.from_kind)
            citations.setdefault((basis.from_kind, category), basis)
    agencies_by_kind: dict[str, set[int]] = {}
    if kinds_by_category:
        wanted = set().union(*kinds_by_category.values())
        for agency_id, agency_kind in Agency.objects.filter(kind__in=wanted).values_list(
            "pk", "kind"
        ):
            agencies_by_kind.setdefault(agency_kind, set()).add(agency_id)
    legal_sources = {
        category: frozenset(
            agency_id
            for source_kind in kinds
            for agency_id in agencies_by_kind.get(source_kind, ())
            if agency_id != agency.pk
        )
        for category, kinds in kinds_by_category.items()
    }
    now = timezone.now()
    glass = {
        bg.subject_id: bg
        for bg in BreakGlass.objects.filter(
            user_id=membership.user_id, agency=agency, expires_at__gt=now
        )
        if bg.subject_id is not None  # an ID that matched nobody opens nothing
    }
    context = _Context(
        agency_id=agency.pk,
        agency_kind=kind,
        user_id=membership.user_id,
        blocked=firewall.blocked_categories(kind),
        consent_only=firewall.consent_only_categories(kind),
        legal_sources=legal_sources,
        legal_citations=citations,
        break_glass_subjects=glass,
        today=timezone.localdate(),
    )
    membership._access_context = context  # type: ignore[attr-defined]
    return context


def forget(membership: Membership | None) -> None:
    """Drop the per-request cache, e.g. after a consent changed within the same request."""
    if membership is not None and hasattr(membership, "_access_context"):
        del membership._access_context


def _active_grants(context: _Context) -> Any:
    return ConsentGrant.objects.filter(
        recipient_agency_id=context.agency_id,
        active=True,
        valid_from__lte=context.today,
        valid_until__gte=context.today,
    )


@dataclass(frozen=True)
class _Branches:
    """The parts of the rule for one model and member; ``visible_q`` ORs them together."""

    own: Q
    category_ok: Q
    by_consent: Q
    others: Q  # legal bases and break-glass, for items that are not entrusted
    closed: bool  # True: nothing beyond the own agency's items can be visible


def _branches(membership: Membership, model: type[Model], prefix: str = "") -> _Branches:
    """``prefix`` reaches the item through a relation, e.g. "person__" from name keys."""
    compartment = compartment_of(model)
    context = _context(membership)

    def at(field: str) -> str:
        return prefix + field

    own = Q(**{at("owner_agency_id"): context.agency_id})
    allowed_categories = set(DataCategory.values) - context.blocked
    grants = _active_grants(context).filter(
        subject_id=OuterRef(at(compartment.subject)),
        disclosing_agency_id=OuterRef(at("owner_agency_id")),
    )
    closed = False
    if compartment.category is None:
        grants = grants.filter(category=OuterRef(at("category")))
        # No condition when every category is allowed: a redundant IN list can still steer
        # the planner (SQLite then seeks each category of the grant index separately).
        category_ok = (
            Q()
            if allowed_categories == set(DataCategory.values)
            else Q(**{at("category__in"): allowed_categories})
        )
    else:
        closed = compartment.category not in allowed_categories
        grants = grants.filter(category=compartment.category)
        category_ok = Q()

    if compartment.entrusted:
        # One EXISTS, correlated on the item's ``entrusted`` too: PostgreSQL then probes the
        # grant index per item instead of hashing all the member's grants first — a page of
        # 25 items reads a handful of grants, not tens of thousands.
        by_consent = Q(
            Exists(
                grants.filter(
                    Q(includes_entrusted=True) | Q(Exact(OuterRef(at("entrusted")), False))
                )
            )
        )
        not_entrusted = Q(**{at("entrusted"): False})
    else:
        by_consent = Q(Exists(grants))
        not_entrusted = Q()

    others = NOTHING
    open_categories = allowed_categories - context.consent_only
    for category, sources in context.legal_sources.items():
        if category not in open_categories or not sources:
            continue
        if compartment.category is None:
            others |= Q(**{at("category"): category, at("owner_agency_id__in"): sources})
        elif compartment.category == category:
            others |= Q(**{at("owner_agency_id__in"): sources})
    if context.break_glass_subjects:
        glass = Q(**{at(f"{compartment.subject}__in"): list(context.break_glass_subjects)})
        if compartment.category is None:
            glass &= Q(**{at("category__in"): open_categories})
        elif compartment.category not in open_categories:
            glass = NOTHING
        others |= glass
    return _Branches(
        own=own,
        category_ok=category_ok,
        by_consent=by_consent,
        others=not_entrusted & others if others != NOTHING else NOTHING,
        closed=closed,
    )


def visible_q(membership: Membership | None, model: type[Model], *, prefix: str = "") -> Q:
    """The items of ``model`` the member may see, as one filter.

    With ``prefix`` the filter applies to rows that reach the item through a relation (search
    filters name keys by ``person__``), so the database can start from the smaller side.
    """
    if not may_read_content(membership):
        return NOTHING
    assert membership is not None  # noqa: S101 - narrowed by may_read_content
    parts = _branches(membership, model, prefix)
    if parts.closed:
        return parts.own
    return parts.own | (parts.category_ok & (parts.by_consent | parts.others))


def _consent_join(
    membership: Membership, model: type[Model], queryset: QuerySet[Any]
) -> QuerySet[Any]:
    """Items reached by a consent, as a join driven from the member's grants.

    Equivalent to ``filter(by_consent)``, but the database starts from the member's grant rows
    (the recipient index) and probes the items' (owner, category, subject) index, instead of
    testing every item.
    """
    compartment = compartment_of(model)
    context = _context(membership)
    conditions: dict[str, Any] = {}
    if hasattr(model, "matching_grants"):
        prefix = "matching_grants__"  # joined on (subject, owner, category) directly
    else:
        prefix = (
            "grants__"
            if compartment.subject == "pk"
            else (compartment.subject.removesuffix("_id") + "__grants__")
        )
        conditions[f"{prefix}disclosing_agency_id"] = F("owner_agency_id")
        conditions[f"{prefix}category"] = (
            F("category") if compartment.category is None else compartment.category
        )
    conditions |= {
        f"{prefix}recipient_agency_id": context.agency_id,
        f"{prefix}active": True,
        f"{prefix}valid_from__lte": context.today,
        f"{prefix}valid_until__gte": context.today,
    }
    if compartment.entrusted:
        return queryset.filter(
            Q(entrusted=False) | Q(**{f"{prefix}includes_entrusted": True}), **conditions
        )
    return queryset.filter(**conditions)


def count_parts(membership: Membership, queryset: QuerySet[Any]) -> list[QuerySet[Any]]:
    """The disjoint, index-friendly parts whose counts add up to the visible count.

    One OR over the whole table cannot use an index; its parts can: the agency's own items
    (owner index), items reached by consent (a join driven from the member's grants into the
    items' (owner, subject, category) index), and the rest reached by legal bases or
    break-glass (owner or subject index).
    """
    parts = _branches(membership, queryset.model)
    # Counting needs no order; a capped count (LIMIT) would otherwise sort every row first.
    queryset = queryset.order_by()
    result = [queryset.filter(parts.own)]
    if parts.closed:
        return result
    foreign = queryset.exclude(parts.own).filter(parts.category_ok)
    result.append(_consent_join(membership, queryset.model, foreign).values("pk").distinct())
    if parts.others != NOTHING:
        result.append(foreign.filter(parts.others).exclude(parts.by_consent))
    return result


def count_visible(membership: Membership | None, queryset: QuerySet[Any]) -> int:
    """``queryset.filter(visible_q(...)).count()``, computed from indexed parts."""
    if not may_read_content(membership):
        return 0
    assert membership is not None  # noqa: S101
    return sum(part.count() for part in count_parts(membership, queryset))


# Lists over everything a member may see count exactly up to here and then say "more than":
# an exact count of hundreds of thousands of items costs as much as reading them, and nobody
# pages through them — they narrow the list instead.
LIST_COUNT_CAP = 10_000


@dataclass(frozen=True)
class VisibleCount:
    value: int
    exact: bool  # False: there are more than ``value`` items; counting stopped there


def count_visible_up_to(
    membership: Membership | None, queryset: QuerySet[Any], cap: int | None = None
) -> VisibleCount:
    """:func:`count_visible`, but each part stops counting once ``cap`` is passed."""
    cap = LIST_COUNT_CAP if cap is None else cap
    if not may_read_content(membership):
        return VisibleCount(0, exact=True)
    assert membership is not None  # noqa: S101
    total = 0
    for part in count_parts(membership, queryset):
        total += part[: cap + 1 - total].count()
        if total > cap:
            return VisibleCount(cap, exact=False)
    return VisibleCount(total, exact=True)


def _subject_id(item: Model, compartment: Compartment) -> int:
    field = "pk" if compartment.subject == "pk" else compartment.subject
    return int(getattr(item, field))


def explain(membership: Membership | None, item: Model) -> Decision:
    """Why the member sees ``item`` — or that they do not. Mirrors :func:`visible_q`."""
    return explain_many(membership, [item])[item.pk]


def explain_many(membership: Membership | None, items: Sequence[Model]) -> dict[Any, Decision]:
    """:func:`explain` for a page of items, with a fixed number of queries."""
    denied = Decision(False, "", _("No basis for access."))
    if not may_read_content(membership):
        return {item.pk: denied for item in items}
    assert membership is not None  # noqa: S101
    context = _context(membership)
    foreign = [item for item in items if item.owner_agency_id != context.agency_id]  # type: ignore[attr-defined]
    grants_by_key: dict[tuple[int, int, str], list[ConsentGrant]] = {}
    owner_kinds: dict[int, str] = {}
    if foreign:
        subjects = {_subject_id(item, compartment_of(item)) for item in foreign}
        owners = {item.owner_agency_id for item in foreign}  # type: ignore[attr-defined]
        for grant in (
            _active_grants(context)
            .filter(subject_id__in=subjects, disclosing_agency_id__in=owners)
            .order_by("-valid_until")
        ):
            key = (grant.subject_id, grant.disclosing_agency_id, grant.category)
            grants_by_key.setdefault(key, []).append(grant)
        owner_kinds = dict(Agency.objects.filter(pk__in=owners).values_list("pk", "kind"))
    return {
        item.pk: _decide(context, membership, item, grants_by_key, owner_kinds) for item in items
    }


def _decide(
    context: _Context,
    membership: Membership,
    item: Model,
    grants_by_key: dict[tuple[int, int, str], list[ConsentGrant]],
    owner_kinds: dict[int, str],
) -> Decision:
    compartment = compartment_of(item)
    owner_id = item.owner_agency_id  # type: ignore[attr-defined]
    if owner_id == context.agency_id:
        return Decision(
            True,
            Basis.OWN_AGENCY,
            _("Recorded by your agency (%(agency)s).") % {"agency": membership.agency.name},
        )
    category = compartment.category or item.category  # type: ignore[attr-defined]
    entrusted = bool(compartment.entrusted and item.entrusted)  # type: ignore[attr-defined]
    if category in context.blocked:
        rule = next(
            r
            for r in firewall.RULES
            if r.absolute and category in r.categories and context.agency_kind in r.recipient_kinds
        )
        return Decision(False, "", f"{rule.description} ({rule.citation})")
    subject_id = _subject_id(item, compartment)
    grants = grants_by_key.get((subject_id, owner_id, category), [])
    if entrusted:
        grants = [g for g in grants if g.includes_entrusted]
    if grants:
        grant = grants[0]
        return Decision(
            True,
            f"{Basis.CONSENT}:{grant.declaration_id}",
            _("Consent no. %(number)s, valid until %(date)s.")
            % {"number": grant.declaration_id, "date": date_format(grant.valid_until)},
        )
    if entrusted:
        return Decision(
            False, "", f"{firewall.ENTRUSTED_DESCRIPTION} ({firewall.ENTRUSTED_CITATION})"
        )
    if category in context.consent_only:
        return Decision(False, "", _("No basis for access."))
    if owner_id in context.legal_sources.get(category, frozenset()):
        basis = context.legal_citations[(owner_kinds[owner_id], category)]
        return Decision(
            True,
            f"{Basis.LEGAL_BASIS}:{basis.pk}",
            _("Legal basis: %(citation)s.") % {"citation": basis.citation},
        )
    glass = context.break_glass_subjects.get(subject_id)
    if glass is not None:
        return Decision(
            True,
            f"{Basis.BREAK_GLASS}:{glass.pk}",
            _("Emergency access until %(time)s, under review by the data-protection officer.")
            % {"time": date_format(timezone.localtime(glass.expires_at), "SHORT_DATETIME_FORMAT")},
        )
    return Decision(False, "", _("No basis for access."))
