from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self) -> None:
        from lotse.people.panels import register_person_panel

        register_person_panel("cases/_person_journal.html")
