from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "lotse.directory"
    label = "directory"
    verbose_name = _("Directory of offers")

    def ready(self) -> None:
        from lotse.accounts.start import register_start_panel

        from .checks import check_accessibility_feedback
        from .views import start_offers

        register_start_panel(start_offers)
        checks.register(check_accessibility_feedback, checks.Tags.security, deploy=True)
