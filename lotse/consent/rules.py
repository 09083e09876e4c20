"""Who may record, give, confirm, withdraw and see a consent — rules with their citations.

The firewall (``firewall.py``) says which flows no consent can open; these rules say who may
act on a consent at all. Together they keep an agency from opening another agency's data to
itself: a consent releases a disclosing agency's data only once that agency recorded or
confirmed it, so the worst a stranger can record is a pending declaration that opens nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency, Membership
from lotse.accounts.roles import Capability

from .models import ConsentDeclaration


@dataclass(frozen=True)
class ConsentRule:
    code: str
    citation: str
    description: Promise

    @property
    def text(self) -> str:
        return gettext("%(rule)s (%(citation)s)") % {
            "rule": self.description,
            "citation": self.citation,
        }

    def refusal(self, field: str) -> ValidationError:
        return ValidationError({field: self.text}, code=self.code)


NOT_TO_ONESELF = ConsentRule(
    "not_to_oneself",
    "Art. 4 Nr. 11, Art. 7 Abs. 1 DSGVO",
    _(
        "An agency cannot record a consent that opens data to itself: the agency that is to "
        "pass the data on records it, and your agency is then named as recipient."
    ),
)
DISCLOSER_CONFIRMS = ConsentRule(
    "discloser_confirms",
    "§ 67d Abs. 1 SGB X",
    _(
        "A consent releases an agency's data only once that agency recorded it or confirmed "
        "it: the agency that passes data on answers for doing so."
    ),
)
ENTRUSTED_THROUGH_CONFIDANT = ConsentRule(
    "entrusted_through_confidant",
    "§ 65 Abs. 1 Nr. 1 SGB VIII",
    _(
        "Information confided to the Jugendamt is released only through the Jugendamt it was "
        "confided to: name it among the agencies that pass on."
    ),
)
NOT_UNDER_EMERGENCY_ACCESS = ConsentRule(
    "not_under_emergency_access",
    "Art. 7 Abs. 1 DSGVO",
    _(
        "Emergency access never lets anyone record a consent on the family's behalf: only the "
        "family's own declaration, documented by an agency that knows the person, counts."
    ),
)
WITHDRAWN_BY_A_PARTY = ConsentRule(
    "withdrawn_by_a_party",
    "Art. 7 Abs. 3 DSGVO",
    _(
        "The family withdraws a consent through an agency named in it — the one that recorded "
        "it, one that passes on or one that receives — never through a third."
    ),
)
GUARDIAN_ONLY_FOR_MINORS = ConsentRule(
    "guardian_only_for_minors",
    "§ 36 SGB I; § 1629 BGB",
    _("A parent or guardian consents only for a minor; an adult consents themself."),
)
DECIDED_BY_RECORDER = ConsentRule(
    "decided_by_recorder",
    "Art. 7 Abs. 1 DSGVO",
    _(
        "Only the agency that recorded the consent and holds the signed form marks it given "
        "or refused."
    ),
)
NEED_TO_KNOW = ConsentRule(
    "need_to_know",
    "§ 35 SGB I; Art. 5 Abs. 1 lit. c DSGVO",
    _(
        "A consent is seen by the agency that recorded it, the agencies it names and the "
        "data-protection officer — nobody else."
    ),
)

RULES: tuple[ConsentRule, ...] = (
    NOT_TO_ONESELF,
    DISCLOSER_CONFIRMS,
    ENTRUSTED_THROUGH_CONFIDANT,
    NOT_UNDER_EMERGENCY_ACCESS,
    WITHDRAWN_BY_A_PARTY,
    GUARDIAN_ONLY_FOR_MINORS,
    DECIDED_BY_RECORDER,
    NEED_TO_KNOW,
)

CONFIDANT_KINDS = frozenset({Agency.Kind.YOUTH_WELFARE_OFFICE})
MINOR_AGE = 18


# --- predicates on one declaration (its agencies prefetched by the selectors) -------------------


def disclosing_ids(declaration: ConsentDeclaration) -> set[int]:
    return {agency.pk for agency in declaration.disclosing_agencies.all()}


def recipient_ids(declaration: ConsentDeclaration) -> set[int]:
    return {agency.pk for agency in declaration.recipient_agencies.all()}


def confirmed_ids(declaration: ConsentDeclaration) -> set[int]:
    """Disclosing agencies whose data the consent releases: the recorder, and who confirmed."""
    confirmed = {c.agency_id for c in declaration.confirmations.all()}
    return (confirmed | {declaration.recording_agency_id}) & disclosing_ids(declaration)


def pending_ids(declaration: ConsentDeclaration) -> set[int]:
    """Disclosing agencies that have not confirmed yet: the consent opens nothing of theirs."""
    return disclosing_ids(declaration) - confirmed_ids(declaration)


def party_ids(declaration: ConsentDeclaration) -> set[int]:
    """The agencies a consent names: its recorder, disclosers and recipients."""
    return (
        {declaration.recording_agency_id} | disclosing_ids(declaration) | recipient_ids(declaration)
    )


def _records_consents(membership: Membership | None) -> bool:
    return membership is not None and membership.can(Capability.RECORD_CONSENT)


def may_decide(membership: Membership | None, declaration: ConsentDeclaration) -> bool:
    """Mark a requested consent given or refused: the recording agency."""
    return (
        _records_consents(membership)
        and membership is not None
        and membership.agency_id == declaration.recording_agency_id
        and declaration.status == ConsentDeclaration.Status.REQUESTED
    )


def may_renew(membership: Membership | None, declaration: ConsentDeclaration) -> bool:
    """Ask the family to renew a given (or run out) consent: the recording agency, which
    watches its end (the deadline goes to it). The renewal is a new declaration of its own."""
    return (
        _records_consents(membership)
        and membership is not None
        and membership.agency_id == declaration.recording_agency_id
        and declaration.effective_status()
        in (ConsentDeclaration.Status.GIVEN, ConsentDeclaration.Status.EXPIRED)
    )


def may_confirm(membership: Membership | None, declaration: ConsentDeclaration) -> bool:
    """Confirm a given consent as a disclosing agency that has not confirmed yet."""
    return (
        _records_consents(membership)
        and membership is not None
        and declaration.effective_status() == ConsentDeclaration.Status.GIVEN
        and membership.agency_id in pending_ids(declaration)
    )


def may_withdraw(membership: Membership | None, declaration: ConsentDeclaration) -> bool:
    return (
        _records_consents(membership)
        and membership is not None
        and declaration.effective_status() == ConsentDeclaration.Status.GIVEN
        and membership.agency_id in party_ids(declaration)
    )
