"""The "Warum sehe ich das?" panel: why the member sees an item, under which consent or legal
basis, for what purpose and which information — and who else sees it.

Built on :func:`policy.explain_many` (the basis), with a fixed number of queries for a page
whatever the number of items.

**Who else sees this?** The answer lists only what the reader may know anyway, so that it
leaks nothing (DESIGN §3, "no inference"):

* the agency that recorded the item — the panel names it already;
* agencies that receive it under a consent *the reader's agency may open* (it recorded the
  consent, passes data on or receives under it: ``selectors.consents_visible_to``) — their
  names stand on that consent's page. A consent between other agencies would tell the reader
  that the family works with them (a counselling service, the foreigners' authority): it is
  left out, and the panel says so;
* agencies whose kind a legal basis of the DPO's register opens the item to — the register is
  readable by every caseworker and says nothing about the person;
* emergency accesses are never listed: they are the business of the accessing team lead and
  the DPO who reviews them.

Firewall rules apply to the list as to the access itself: an agency whose kind a rule closes
the category to is not listed, whatever a consent or a basis says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Agency, Membership

from . import display, firewall, policy, selectors
from .models import ConsentDeclaration, ConsentGrant, LegalBasis


@dataclass(frozen=True)
class Other:
    """Another agency that sees the item, and by what."""

    agency: str
    by: str


@dataclass(frozen=True)
class WhyLine:
    what: str
    agency: str  # the agency that recorded the item
    own: bool  # recorded by the reader's agency: the panel does not name it twice
    text: str
    link: str = ""
    link_text: str = ""
    validity: str = ""
    purpose: str = ""
    categories: tuple[str, ...] = ()
    others: tuple[Other, ...] = field(default_factory=tuple)
    #: the panel answers "who else sees this?" (a line of another kind has no such answer)
    audience: bool = True


def _subject_id(item: Model) -> int:
    compartment = policy.compartment_of(item)
    return int(getattr(item, "pk" if compartment.subject == "pk" else compartment.subject))


def _category(item: Model) -> str:
    compartment = policy.compartment_of(item)
    return str(compartment.category or item.category)  # type: ignore[attr-defined]


def _entrusted(item: Model) -> bool:
    return bool(policy.compartment_of(item).entrusted and item.entrusted)  # type: ignore[attr-defined]


@dataclass
class _Audience:
    """Who sees which (subject, owner, category), from three queries for the whole page."""

    grants: list[tuple[int, int, str, int, str, bool]]
    bases: list[LegalBasis]
    agencies: dict[int, tuple[str, str]]  # pk → (kind, name)

    def others(self, item: Model, reader: int) -> tuple[Other, ...]:
        subject, owner, category = _subject_id(item), item.owner_agency_id, _category(item)  # type: ignore[attr-defined]
        entrusted = _entrusted(item)
        purposes = policy.compartment_of(item).purposes
        found: dict[int, str] = {owner: _("recorded it")}
        for g_subject, g_owner, g_category, recipient, purpose, with_entrusted in self.grants:
            if (g_subject, g_owner, g_category) != (subject, owner, category):
                continue
            if purposes is not None and purpose not in purposes:
                continue
            if entrusted and not with_entrusted:
                continue
            if recipient in self.agencies and self._open_to(recipient, category, legal=False):
                found.setdefault(recipient, _("consent"))
        owner_kind = self.agencies.get(owner, ("", ""))[0]
        if not entrusted:
            kinds = {
                basis.to_kind
                for basis in self.bases
                if basis.from_kind == owner_kind and category in basis.categories
            }
            for pk, (kind, _name) in self.agencies.items():
                if kind in kinds and pk != owner and self._open_to(pk, category, legal=True):
                    found.setdefault(pk, _("legal basis"))
        found.pop(reader, None)
        return tuple(
            sorted(
                (
                    Other(self.agencies[pk][1], by)
                    for pk, by in found.items()
                    if pk in self.agencies
                ),
                key=lambda other: other.agency,
            )
        )

    def _open_to(self, agency_id: int, category: str, *, legal: bool) -> bool:
        kind = self.agencies[agency_id][0]
        if category in firewall.blocked_categories(kind):
            return False
        return not (legal and category in firewall.consent_only_categories(kind))


def _audience(membership: Membership, items: Sequence[Model]) -> _Audience:
    if not items:
        return _Audience([], [], {})
    today = timezone.localdate()
    grants = list(
        ConsentGrant.objects.filter(
            active=True,
            valid_from__lte=today,
            valid_until__gte=today,
            subject_id__in={_subject_id(item) for item in items},
            disclosing_agency_id__in={item.owner_agency_id for item in items},  # type: ignore[attr-defined]
            category__in={_category(item) for item in items},
            # only consents the reader's agency may open (see the module's docstring)
            declaration__in=selectors.consents_visible_to(membership).values("pk"),
        ).values_list(
            "subject_id",
            "disclosing_agency_id",
            "category",
            "recipient_agency_id",
            "purpose",
            "includes_entrusted",
        )
    )
    bases = list(LegalBasis.objects.filter(is_active=True))
    wanted = Q(pk__in={item.owner_agency_id for item in items}) | Q(  # type: ignore[attr-defined]
        pk__in={grant[3] for grant in grants}
    )
    to_kinds = {basis.to_kind for basis in bases}
    if to_kinds:
        wanted |= Q(kind__in=to_kinds)
    agencies = {
        pk: (kind, name)
        for pk, kind, name in Agency.objects.filter(wanted, is_active=True).values_list(
            "pk", "kind", "name"
        )
    }
    return _Audience(grants, bases, agencies)


def _ident(basis: str, kind: str) -> int | None:
    prefix, _sep, ident = basis.partition(":")
    return int(ident) if prefix == kind and ident.isdigit() else None


def why_lines(membership: Membership, entries: Sequence[tuple[str, Model]]) -> list[WhyLine]:
    """One line per (label, item): the item's basis with its consent or legal basis linked,
    the purpose and information it covers, and the other agencies that see the item."""
    items = [item for _label, item in entries]
    decisions = policy.explain_many(membership, items)
    consent_ids = {
        pk
        for item in items
        if (pk := _ident(decisions.of(item).basis, policy.Basis.CONSENT)) is not None
    }
    legal_ids = {
        pk
        for item in items
        if (pk := _ident(decisions.of(item).basis, policy.Basis.LEGAL_BASIS)) is not None
    }
    consents = ConsentDeclaration.objects.in_bulk(consent_ids) if consent_ids else {}
    legal = LegalBasis.objects.in_bulk(legal_ids) if legal_ids else {}
    names = selectors.subject_names(
        membership=membership, subject_ids={c.subject_id for c in consents.values()}
    )
    audience = _audience(membership, items)
    lines = []
    for label, item in entries:
        decision = decisions.of(item)
        owner: Any = item.owner_agency  # type: ignore[attr-defined]
        line = WhyLine(
            what=label,
            agency=owner.name,
            own=owner.pk == membership.agency_id,
            text=decision.explanation,
            others=audience.others(item, membership.agency_id) if decision.allowed else (),
        )
        consent = consents.get(_ident(decision.basis, policy.Basis.CONSENT) or 0)
        basis = legal.get(_ident(decision.basis, policy.Basis.LEGAL_BASIS) or 0)
        if decision.basis == policy.Basis.OWN_AGENCY:
            line = replace(line, text=_("Recorded by your agency."))
        elif consent is not None:
            purpose = consent.get_purpose_display()
            if consent.purpose_text:
                purpose = f"{purpose}: {consent.purpose_text}"
            line = replace(
                line,
                text=_("Your agency sees it by a consent:"),
                link=reverse("consent:detail", kwargs={"pk": consent.pk}),
                link_text=display.consent_title(consent, names.get(consent.subject_id, "")),
                validity=_("open-ended")
                if display.is_open_ended(consent.valid_until)
                else _("valid until %(date)s") % {"date": display.end_text(consent.valid_until)},
                purpose=purpose,
                categories=tuple(display.category_labels(list(consent.categories))),
            )
        elif basis is not None:
            line = replace(
                line,
                text=_("Your agency sees it by a legal basis:"),
                link=reverse("consent:legal_bases"),
                link_text=basis.citation,
                purpose=basis.note,
                categories=tuple(display.category_labels(list(basis.categories))),
            )
        lines.append(line)
    return lines
