"""The case page's section of referrals (registered with ``cases.panels``)."""

from __future__ import annotations

from django.http import HttpRequest

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.cases.models import Case
from lotse.people.panels import Panel

from .selectors import case_referrals


def case_referral_panel(*, request: HttpRequest, membership: Membership, case: Case) -> Panel:
    referrals = case_referrals(membership=membership, case=case)
    return Panel(
        template="referrals/_case_panel.html",
        context={
            "case": case,
            "referrals": referrals,
            "may_refer": membership.can(Capability.WRITE_CASE_CONTENT) and not case.is_closed,
        },
        items=referrals,
        detail={"referrals": len(referrals)} if referrals else {},
    )
