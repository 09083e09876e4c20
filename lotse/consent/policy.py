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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability

from . import firewall
from .categories import Compartment, DataCategory
from .models import PURPOSES_COVERING, BreakGlass, ConsentGrant, LegalBasis

NOTHING = Q(pk__in=[])

#: Rows with a ``person_id`` column: the persons whose content a member may see under their
#: agency's need-to-know rule (§ 35 SGB I). Provided by the app that knows cases.
AssignmentScope = Callable[[Membership], QuerySet[Any]]
_assignment_scopes: list[AssignmentScope] = []


def register_assignment_scope(scope: AssignmentScope) -> None:
    """Let the cases app say whom a member is assigned to; ``consent`` cannot import it."""
    if scope not in _assignment_scopes:
        _assignment_scopes.append(scope)


def _assigned_persons(membership: Membership) -> QuerySet[Any] | None:
    """The ``person_id`` rows of every registered scope, or None when nobody is assigned."""
    scopes = [scope(membership) for scope in _assignment_scopes]
    if not scopes:
        return None
    combined = scopes[0].values("person_id")
    for other in scopes[1:]:
        combined = combined.union(other.values("person_id"))
    return combined


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
    # Need-to-know inside the agency: the persons the member is assigned to (None: nobody)
    need_to_know: bool
    assigned_persons: QuerySet[Any] | None


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
        need_to_know=agency.need_to_know,
        assigned_persons=_assigned_persons(membership) if agency.need_to_know else None,
    )
    membership._access_context = context  # type: ignore[attr-defined]
    return context


def request_cache(membership: Membership) -> dict[Any, Any]:
    """What is derived from the policy for this member in this request (filters, resolved
    querysets), kept beside the context and dropped with it by :func:`forget`."""
    cache: dict[Any, Any] = membership.__dict__.setdefault("_policy_cache", {})
    return cache


def forget(membership: Membership | None) -> None:
    """Drop the per-request cache, e.g. after a consent changed within the same request."""
    if membership is None:
        return
    membership.__dict__.pop("_access_context", None)
    membership.__dict__.pop("_policy_cache", None)


def _active_grants(context: _Context) -> Any:
    return ConsentGrant.objects.filter(
        recipient_agency_id=context.agency_id,
        active=True,
        valid_from__lte=context.today,
        valid_until__gte=context.today,
    )


@dataclass(frozen=True)
class _Branches:
    """The parts of the rule for one model and member; ``visible_q`` combines them.

    ``(own | category_ok & (by_consent | legal)) & assigned | glass``
    """

    own: Q
    category_ok: Q
    by_consent: Q
    legal: Q  # legal bases, for items that are not entrusted
    glass: Q  # break-glass: an emergency opens what need-to-know would hide, not entrusted items
    assigned: Q  # need-to-know inside the agency; Q() when the agency does not limit its staff
    closed: bool  # True: nothing beyond the own agency's items can be visible


def _purpose_filter(compartment: Compartment) -> Q:
    return Q() if compartment.purposes is None else Q(purpose__in=sorted(compartment.purposes))


def restricts(context: _Context, compartment: Compartment) -> bool:
    return context.need_to_know and compartment.need_to_know


def _assigned_q(context: _Context, compartment: Compartment, at: Callable[[str], str]) -> Q:
    if not restricts(context, compartment):
        return Q()
    assigned = (
        Q(**{at(f"{compartment.subject}__in"): context.assigned_persons})
        if context.assigned_persons is not None
        else NOTHING
    )
    if compartment.author is not None:
        # "+ 0" keeps this term from driving an index: a caseworker has written thousands of
        # items, and SQLite would otherwise read all of them (an OR over the subject and
        # author indexes) instead of the few of one case or person the query asks for.
        authored = ExpressionWrapper(F(at(compartment.author)) + 0, output_field=IntegerField())
        assigned |= Q(Exact(authored, context.user_id))
    return assigned


def _branches(
    membership: Membership, model: type[Model], prefix: str = "", *, probe: bool = False
) -> _Branches:
    """``prefix`` reaches the item through a relation, e.g. "person__" from name keys;
    ``probe``: see :func:`visible_q`."""
    compartment = compartment_of(model)
    context = _context(membership)

    def at(field: str) -> str:
        return prefix + field

    own = Q(**{at("owner_agency_id"): context.agency_id})
    allowed_categories = set(DataCategory.values) - context.blocked
    grants = _active_grants(context).filter(
        _purpose_filter(compartment),
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
    elif probe:
        # The same grants, with a condition on the item inside an OR (it always holds: no
        # agency has id 0): PostgreSQL cannot hash such an EXISTS and probes the grant index
        # per row instead of hashing all the member's grants (tens of thousands) first.
        by_consent = Q(
            Exists(grants.filter(Q(active=True) | Q(Exact(OuterRef(at("owner_agency_id")), 0))))
        )
        not_entrusted = Q()
    else:
        by_consent = Q(Exists(grants))
        not_entrusted = Q()

    legal = NOTHING
    open_categories = allowed_categories - context.consent_only
    for category, sources in context.legal_sources.items():
        if category not in open_categories or not sources:
            continue
        if compartment.category is None:
            legal |= Q(**{at("category"): category, at("owner_agency_id__in"): sources})
        elif compartment.category == category:
            legal |= Q(**{at("owner_agency_id__in"): sources})
    glass = NOTHING
    if context.break_glass_subjects:
        glass = Q(**{at(f"{compartment.subject}__in"): list(context.break_glass_subjects)})
        if compartment.category is None:
            glass &= Q(**{at("category__in"): open_categories})
        elif compartment.category not in open_categories:
            glass = NOTHING
    return _Branches(
        own=own,
        category_ok=category_ok,
        by_consent=by_consent,
        legal=not_entrusted & legal if legal != NOTHING else NOTHING,
        glass=not_entrusted & glass if glass != NOTHING else NOTHING,
        assigned=_assigned_q(context, compartment, at),
        closed=closed,
    )


def visible_q(
    membership: Membership | None, model: type[Model], *, prefix: str = "", probe: bool = False
) -> Q:
    """The items of ``model`` the member may see, as one filter.

    With ``prefix`` the filter applies to rows that reach the item through a relation (search
    filters name keys by ``person__``), so the database can start from the smaller side.
    With ``probe`` a consent is looked up per row, for a caller that checks thousands of rows
    of which few need a consent (search over the name keys of a whole city).
    """
    if not may_read_content(membership):
        return NOTHING
    assert membership is not None  # noqa: S101 - narrowed by may_read_content
    # Built once per request and kind: a page asks for the same kind in several queries.
    # A Q is never changed by the querysets it filters, so one object serves them all.
    cache = request_cache(membership)
    key = ("visible_q", model, prefix, probe)
    if key not in cache:
        cache[key] = _visible_q(membership, model, prefix, probe=probe)
    visible: Q = cache[key]
    return visible


def _visible_q(membership: Membership, model: type[Model], prefix: str, *, probe: bool) -> Q:
    parts = _branches(membership, model, prefix, probe=probe)
    if parts.closed:
        return parts.own & parts.assigned
    seen = parts.own | (parts.category_ok & (parts.by_consent | parts.legal))
    if parts.glass == NOTHING:
        return seen & parts.assigned
    return (seen & parts.assigned) | parts.glass


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
    if compartment.purposes is not None:
        conditions[f"{prefix}purpose__in"] = sorted(compartment.purposes)
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
    result = [queryset.filter(parts.own & parts.assigned)]
    if parts.closed:
        return result
    foreign = queryset.exclude(parts.own).filter(parts.category_ok).filter(parts.assigned)
    result.append(_consent_join(membership, queryset.model, foreign).values("pk").distinct())
    if parts.legal != NOTHING:
        result.append(foreign.filter(parts.legal).exclude(parts.by_consent))
    if parts.glass != NOTHING:
        # Few persons, found by the subject index; only what no other part counted.
        seen = (parts.own | parts.category_ok & (parts.by_consent | parts.legal)) & parts.assigned
        result.append(queryset.filter(parts.glass).exclude(seen))
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


ItemKey = tuple[str, Any]


def item_key(item: Model) -> ItemKey:
    """An item's identity among items of several kinds (a timeline mixes entries, goals, …)."""
    return (item._meta.label_lower, item.pk)


class Decisions(dict[ItemKey, Decision]):
    """The policy's answers for a page of items, keyed by (kind, pk)."""

    def of(self, item: Model) -> Decision:
        return self[item_key(item)]


def explain(membership: Membership | None, item: Model) -> Decision:
    """Why the member sees ``item`` — or that they do not. Mirrors :func:`visible_q`."""
    return explain_many(membership, [item]).of(item)


def explain_many(membership: Membership | None, items: Sequence[Model]) -> Decisions:
    """:func:`explain` for a page of items of any kinds, with a fixed number of queries."""
    denied = Decision(False, "", _("No basis for access."))
    if not may_read_content(membership):
        return Decisions((item_key(item), denied) for item in items)
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
    assigned: frozenset[int] = frozenset()
    restricted = [item for item in items if restricts(context, compartment_of(item))]
    if restricted and context.assigned_persons is not None:
        subjects = {_subject_id(item, compartment_of(item)) for item in restricted}
        assigned = frozenset(
            context.assigned_persons.filter(person_id__in=subjects).values_list(
                "person_id", flat=True
            )
        )
    return Decisions(
        (
            item_key(item),
            _decide(context, membership, item, grants_by_key, owner_kinds, assigned),
        )
        for item in items
    )


def _is_assigned(
    context: _Context, compartment: Compartment, item: Model, assigned: frozenset[int]
) -> bool:
    if not restricts(context, compartment):
        return True
    if _subject_id(item, compartment) in assigned:
        return True
    return compartment.author is not None and getattr(item, compartment.author) == context.user_id


def _firewall_text(category: str, recipient_kind: str) -> str:
    """The absolute rule that closes ``category`` to the kind, with its citation."""
    rule = next(
        r
        for r in firewall.RULES
        if r.absolute and category in r.categories and recipient_kind in r.recipient_kinds
    )
    return f"{rule.description} ({rule.citation})"


def _need_to_know_denial() -> Decision:
    return Decision(
        False,
        "",
        _(
            "Your agency shows a family's content only to the staff assigned to the family's "
            "case (§ 35 SGB I)."
        ),
    )


def _glass_decision(
    context: _Context, compartment: Compartment, item: Model, category: str, entrusted: bool
) -> Decision | None:
    glass = context.break_glass_subjects.get(_subject_id(item, compartment))
    open_category = category not in context.blocked and category not in context.consent_only
    if glass is None or entrusted or not open_category:
        return None
    return Decision(
        True,
        f"{Basis.BREAK_GLASS}:{glass.pk}",
        _("Emergency access until %(time)s, under review by the data-protection officer.")
        % {"time": date_format(timezone.localtime(glass.expires_at), "SHORT_DATETIME_FORMAT")},
    )


def _decide(
    context: _Context,
    membership: Membership,
    item: Model,
    grants_by_key: dict[tuple[int, int, str], list[ConsentGrant]],
    owner_kinds: dict[int, str],
    assigned: frozenset[int],
) -> Decision:
    compartment = compartment_of(item)
    owner_id = item.owner_agency_id  # type: ignore[attr-defined]
    category = compartment.category or item.category  # type: ignore[attr-defined]
    entrusted = bool(compartment.entrusted and item.entrusted)  # type: ignore[attr-defined]
    is_assigned = _is_assigned(context, compartment, item, assigned)
    if owner_id == context.agency_id:
        if is_assigned:
            return Decision(
                True,
                Basis.OWN_AGENCY,
                _("Recorded by your agency (%(agency)s).") % {"agency": membership.agency.name},
            )
        return (
            _glass_decision(context, compartment, item, category, entrusted)
            or _need_to_know_denial()
        )
    if category in context.blocked:
        return Decision(False, "", _firewall_text(category, context.agency_kind))
    subject_id = _subject_id(item, compartment)
    grants = grants_by_key.get((subject_id, owner_id, category), [])
    if compartment.purposes is not None:
        grants = [g for g in grants if g.purpose in compartment.purposes]
    if entrusted:
        grants = [g for g in grants if g.includes_entrusted]
    basis: Decision | None = None
    if grants:
        grant = grants[0]
        basis = Decision(
            True,
            f"{Basis.CONSENT}:{grant.declaration_id}",
            _("Consent no. %(number)s, valid until %(date)s.")
            % {"number": grant.declaration_id, "date": date_format(grant.valid_until)},
        )
    elif entrusted:
        return Decision(
            False, "", f"{firewall.ENTRUSTED_DESCRIPTION} ({firewall.ENTRUSTED_CITATION})"
        )
    elif category not in context.consent_only and owner_id in context.legal_sources.get(
        category, frozenset()
    ):
        legal = context.legal_citations[(owner_kinds[owner_id], category)]
        basis = Decision(
            True,
            f"{Basis.LEGAL_BASIS}:{legal.pk}",
            _("Legal basis: %(citation)s.") % {"citation": legal.citation},
        )
    if basis is not None and is_assigned:
        return basis
    glass = _glass_decision(context, compartment, item, category, entrusted)
    if glass is not None:
        return glass
    if basis is not None:
        return _need_to_know_denial()
    return Decision(False, "", _("No basis for access."))


@dataclass(frozen=True)
class FlowGap:
    """A flow the policy would not open: ``disclosing``'s items of ``category`` about
    ``subject_id`` to ``recipient``, for a use such as case management."""

    subject_id: int
    category: str
    #: "firewall": forbidden whatever the family agrees to; "consent": needs a consent
    reason: str
    explanation: str


def flow_gaps(
    *,
    disclosing: Agency,
    recipient: Agency,
    subject_ids: Sequence[int],
    categories: Sequence[str],
    use: str,
) -> list[FlowGap]:
    """What is missing for ``recipient`` to see ``disclosing``'s items for ``use``.

    Mirrors :func:`visible_q` for items that are not entrusted: a firewall rule closes the flow
    for good; otherwise an active consent of the person whose purpose covers the use, or a
    legal basis of the DPO's register, opens it. Two queries, whatever the numbers.
    """
    if disclosing.pk == recipient.pk or not subject_ids or not categories:
        return []
    blocked = firewall.blocked_categories(recipient.kind)
    consent_only = firewall.consent_only_categories(recipient.kind)
    by_law: set[str] = set()
    for basis in LegalBasis.objects.filter(
        is_active=True, from_kind=disclosing.kind, to_kind=recipient.kind
    ):
        by_law.update(basis.categories)
    today = timezone.localdate()
    purposes = PURPOSES_COVERING.get(use, frozenset({use}))
    consented = set(
        ConsentGrant.objects.filter(
            subject_id__in=subject_ids,
            disclosing_agency_id=disclosing.pk,
            recipient_agency_id=recipient.pk,
            category__in=list(categories),
            purpose__in=sorted(purposes),
            active=True,
            valid_from__lte=today,
            valid_until__gte=today,
        ).values_list("subject_id", "category")
    )
    gaps = []
    for subject_id in subject_ids:
        for category in categories:
            if category in blocked:
                gaps.append(
                    FlowGap(
                        subject_id, category, "firewall", _firewall_text(category, recipient.kind)
                    )
                )
            elif (subject_id, category) in consented or (
                category in by_law and category not in consent_only
            ):
                continue
            else:
                gaps.append(
                    FlowGap(
                        subject_id,
                        category,
                        "consent",
                        _("No consent for this purpose and no legal basis."),
                    )
                )
    return gaps
