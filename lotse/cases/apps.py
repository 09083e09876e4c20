from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = _("Case work")

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .services import case_content_move

        return case_content_move(survivor_id=survivor_id, merged_id=merged_id)

    def ready(self) -> None:
        from lotse.accounts.start import register_start_panel
        from lotse.consent import policy
        from lotse.people.panels import register_household_panel, register_person_panel

        from .access import assigned_persons
        from .case_views import start_families
        from .panels import household_case_panel, person_case_panel, start_handovers
        from .retention_views import start_erasure, start_retention
        from .views import journal_panel

        # Need-to-know inside an agency: the policy asks here whom a member is assigned to.
        policy.register_assignment_scope(assigned_persons)
        register_person_panel(person_case_panel)
        register_person_panel(journal_panel)
        register_household_panel(household_case_panel)
        register_start_panel(start_families)
        register_start_panel(start_handovers)
        register_start_panel(start_retention)
        register_start_panel(start_erasure)
