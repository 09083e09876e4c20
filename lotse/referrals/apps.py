from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lotse.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from lotse.accounts.start import register_start_panel
        from lotse.cases.panels import register_case_panel
        from lotse.cases.selectors import register_timeline_source
        from lotse.scheduling.deadlines import register_deadline_source
        from lotse.scheduling.models import DeadlineKind

        from .deadlines import referral_answer
        from .panels import case_referral_panel
        from .selectors import referral_timeline
        from .views import start_referrals

        register_case_panel(case_referral_panel)
        register_timeline_source(referral_timeline)
        register_start_panel(start_referrals)
        register_deadline_source(DeadlineKind.REFERRAL_ANSWER, referral_answer)

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .models import Referral

        return {
            "referrals": Referral.objects.filter(subject_id=merged_id).update(
                subject_id=survivor_id
            )
        }
