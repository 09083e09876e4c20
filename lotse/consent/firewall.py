"""Firewall rules: flows that nothing, or nothing but an explicit consent, may open.

Rules are data with their citations; the policy applies them as static predicates on
(recipient agency kind, category, entrusted), and consent recording refuses what they forbid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Agency

from .categories import DataCategory

ALL_CATEGORIES = frozenset(DataCategory.values)
FOREIGNERS_AUTHORITY = Agency.Kind.FOREIGNERS_AUTHORITY


@dataclass(frozen=True)
class FirewallRule:
    code: str
    recipient_kinds: frozenset[str]
    categories: frozenset[str]
    #: True: not even a consent opens the flow. False: only an explicit consent does
    #: (no legal basis, no break-glass).
    absolute: bool
    citation: str
    description: Promise


RULES: tuple[FirewallRule, ...] = (
    FirewallRule(
        "health_never_to_foreigners_authority",
        frozenset({FOREIGNERS_AUTHORITY}),
        frozenset({DataCategory.HEALTH}),
        absolute=True,
        citation="§ 88 Abs. 2 AufenthG",
        description=_("Health data never reach the foreigners' authority."),
    ),
    FirewallRule(
        "education_never_to_foreigners_authority",
        frozenset({FOREIGNERS_AUTHORITY}),
        frozenset({DataCategory.EDUCATION}),
        absolute=True,
        citation="§ 87 Abs. 1 AufenthG",
        description=_(
            "School and childcare data never reach the foreigners' authority "
            "(schools and educational institutions are exempt from the duty to report)."
        ),
    ),
    FirewallRule(
        "foreigners_authority_identity_and_residence_only",
        frozenset({FOREIGNERS_AUTHORITY}),
        ALL_CATEGORIES
        - {
            DataCategory.IDENTITY,
            DataCategory.RESIDENCE,
            DataCategory.HEALTH,
            DataCategory.EDUCATION,
        },
        absolute=True,
        citation="§§ 86, 87 AufenthG; § 71 Abs. 2 SGB X",
        description=_("The foreigners' authority receives identity and residence data only."),
    ),
    FirewallRule(
        "foreigners_authority_by_consent_only",
        frozenset({FOREIGNERS_AUTHORITY}),
        frozenset({DataCategory.IDENTITY, DataCategory.RESIDENCE}),
        absolute=False,
        citation="§ 67b SGB X",
        description=_(
            "Identity and residence data reach the foreigners' authority only by explicit "
            "consent, explained in the family's language."
        ),
    ),
)

ENTRUSTED_CITATION = "§ 65 SGB VIII"
ENTRUSTED_DESCRIPTION = _(
    "Information confided to the Jugendamt reaches no one without the confider's consent; "
    "no legal basis and no emergency access overrides this."
)


def blocked_categories(recipient_kind: str) -> frozenset[str]:
    """Categories that never reach this kind of agency, whatever consent exists."""
    blocked: set[str] = set()
    for rule in RULES:
        if rule.absolute and recipient_kind in rule.recipient_kinds:
            blocked |= rule.categories
    return frozenset(blocked)


def consent_only_categories(recipient_kind: str) -> frozenset[str]:
    """Categories that reach this kind of agency by explicit consent only."""
    only: set[str] = set()
    for rule in RULES:
        if not rule.absolute and recipient_kind in rule.recipient_kinds:
            only |= rule.categories
    return frozenset(only)


def violations(recipient_kind: str, categories: set[str] | frozenset[str]) -> list[FirewallRule]:
    """The absolute rules a consent for these categories to this kind would break."""
    return [
        rule
        for rule in RULES
        if rule.absolute
        and recipient_kind in rule.recipient_kinds
        and rule.categories & set(categories)
    ]
