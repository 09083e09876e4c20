from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = _("Case work")

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .services import journal_content_move

        return journal_content_move(survivor_id=survivor_id, merged_id=merged_id)

    def ready(self) -> None:
        from lotse.people.panels import register_person_panel

        register_person_panel("cases/_person_journal.html")
