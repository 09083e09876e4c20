from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lotse.reports"
    label = "reports"
    verbose_name = _("Figures and committee reports")

    def ready(self) -> None:
        from lotse.accounts.start import register_start_panel

        from .start import start_steering

        register_start_panel(start_steering)
