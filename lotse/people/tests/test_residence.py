from __future__ import annotations

import pytest

from lotse.people.choices import BenefitRegime, ResidenceKind
from lotse.people.residence import benefit_regime, is_domain_transition, normalise_paragraph


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("§ 25 Abs. 2 AufenthG", "25(2)"),
        ("25 II", "25(2)"),
        ("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG", "25(2)"),
        ("§ 25 Abs. 4a", "25(4a)"),
        ("§ 104c", "104c"),
        ("§ 25b AufenthG", "25b"),
        ("", ""),
    ],
)
def test_paragraphs_are_read_however_they_are_written(written, normalised):
    assert normalise_paragraph(written) == normalised


@pytest.mark.parametrize(
    ("kind", "paragraph", "regime"),
    [
        (ResidenceKind.ASYLUM_PERMISSION, "", BenefitRegime.ASYLBLG),
        (ResidenceKind.TOLERATION, "", BenefitRegime.ASYLBLG),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 25 Abs. 2", BenefitRegime.SGB_II),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 25 Abs. 1", BenefitRegime.SGB_II),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 24", BenefitRegime.SGB_II),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 25 Abs. 5", BenefitRegime.ASYLBLG),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 104c", BenefitRegime.ASYLBLG),
        (ResidenceKind.SETTLEMENT_PERMIT, "", BenefitRegime.SGB_II),
        (ResidenceKind.RESIDENCE_PERMIT, "§ 16b", BenefitRegime.UNKNOWN),
    ],
)
def test_status_leads_to_its_benefit_law(kind, paragraph, regime):
    assert benefit_regime(kind, paragraph) == regime


def test_fiktionsbescheinigung_continues_the_previous_benefit_law():
    assert (
        benefit_regime(ResidenceKind.PROVISIONAL, "", previous_regime=BenefitRegime.ASYLBLG)
        == BenefitRegime.ASYLBLG
    )


def test_only_a_change_between_asylblg_and_sgb_ii_is_a_transition():
    assert is_domain_transition(BenefitRegime.ASYLBLG, BenefitRegime.SGB_II)
    assert is_domain_transition(BenefitRegime.SGB_II, BenefitRegime.ASYLBLG)
    assert not is_domain_transition(None, BenefitRegime.SGB_II)
    assert not is_domain_transition(BenefitRegime.ASYLBLG, BenefitRegime.ASYLBLG)
    assert not is_domain_transition(BenefitRegime.UNKNOWN, BenefitRegime.SGB_II)
