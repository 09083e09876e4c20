"""Which benefit law a residence status leads to, and when a new status changes it.

Rules as data: (status, paragraph pattern) → regime, checked in order. The paragraph is matched
on its normalised form ("25(2)", "104c"), so "§ 25 Abs. 2 AufenthG" and "25 II" both match.
"""

from __future__ import annotations

import re

from .choices import BenefitRegime, ResidenceKind

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}


def normalise_paragraph(paragraph: str) -> str:
    """'§ 25 Abs. 2 S. 1 AufenthG' → '25(2)'; '§ 104c' → '104c'; '25 II' → '25(2)'."""
    text = paragraph.lower().replace("aufenthg", " ").replace("§", " ")
    match = re.search(r"(\d+[a-z]?)\s*(?:abs\.?|absatz|\()?\s*(\d+[a-z]?|i{1,3}|iv|v)?\b", text)
    if match is None:
        return ""
    section, subsection = match.group(1), match.group(2)
    if subsection:
        subsection = _ROMAN.get(subsection, subsection)
        return f"{section}({subsection})"
    return section


# (status, paragraph prefixes or None for any) → regime. AsylbLG § 1 Abs. 1 names the permits
# that stay in AsylbLG (§ 25 Abs. 4, 4a, 4b, 5; § 104c; § 23 Abs. 1 for war reasons); the
# other humanitarian permits lead to SGB II.
REGIME_RULES: tuple[tuple[str, tuple[str, ...] | None, str], ...] = (
    (ResidenceKind.ASYLUM_PERMISSION, None, BenefitRegime.ASYLBLG),
    (ResidenceKind.TOLERATION, None, BenefitRegime.ASYLBLG),
    (
        ResidenceKind.RESIDENCE_PERMIT,
        ("25(4)", "25(4a)", "25(4b)", "25(5)", "104c", "23(1)"),
        BenefitRegime.ASYLBLG,
    ),
    (
        ResidenceKind.RESIDENCE_PERMIT,
        (
            "25(1)",
            "25(2)",
            "25(3)",
            "25a",
            "25b",
            "24",
            "22",
            "23(2)",
            "23(4)",
            "26",
            "28",
            "29",
            "30",
            "32",
            "36",
        ),
        BenefitRegime.SGB_II,
    ),
    (ResidenceKind.RESIDENCE_PERMIT, None, BenefitRegime.UNKNOWN),
    (ResidenceKind.SETTLEMENT_PERMIT, None, BenefitRegime.SGB_II),
    (ResidenceKind.EU_FREE_MOVEMENT, None, BenefitRegime.SGB_II),
    (ResidenceKind.GERMAN_CITIZEN, None, BenefitRegime.SGB_II),
    (ResidenceKind.NONE, None, BenefitRegime.UNKNOWN),
)


def benefit_regime(kind: str, paragraph: str, *, previous_regime: str | None = None) -> str:
    """The regime a status leads to. A Fiktionsbescheinigung continues the previous one."""
    if kind == ResidenceKind.PROVISIONAL:
        return previous_regime or BenefitRegime.UNKNOWN
    normalised = normalise_paragraph(paragraph)
    for rule_kind, paragraphs, regime in REGIME_RULES:
        if rule_kind != kind:
            continue
        if paragraphs is None or normalised in paragraphs:
            return regime
    return BenefitRegime.UNKNOWN


def is_domain_transition(previous_regime: str | None, new_regime: str) -> bool:
    """AsylbLG → SGB II (and back) hands the family over between Sozialamt and Jobcenter."""
    known = {BenefitRegime.ASYLBLG, BenefitRegime.SGB_II}
    return previous_regime in known and new_regime in known and previous_regime != new_regime
