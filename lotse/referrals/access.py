"""Who sees a referral.

The sending side sees it through the consent policy like any item of the case (own agency,
under need-to-know only the assigned staff; other participants under the person's consent
for the plan). The receiving agency sees it as its addressee: what went with it was checked
against the policy for the referral purpose when it was sent.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability
from lotse.consent import policy

from .models import Referral


def referrals_visible_to(membership: Membership | None) -> QuerySet[Referral]:
    if membership is None or not membership.can(Capability.READ_CASE_CONTENT):
        return Referral.objects.none()
    return Referral.objects.filter(
        policy.visible_q(membership, Referral) | Q(to_agency_id=membership.agency_id)
    )
