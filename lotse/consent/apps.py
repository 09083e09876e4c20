import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DPO_SETTINGS = ("NAME", "ADDRESS", "EMAIL", "PHONE")


class ConsentConfig(AppConfig):
    name = "lotse.consent"
    label = "consent"
    verbose_name = _("Consent and access")

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .services import consent_content_move

        return consent_content_move(survivor_id=survivor_id, merged_id=merged_id)

    def ready(self) -> None:
        from django.conf import settings
        from django.core import checks

        from lotse.accounts.start import register_start_panel

        from .checks import check_compartments
        from .start import start_dpo

        checks.register(check_compartments)
        register_start_panel(start_dpo)

        # Production has no demo contact: say at start-up when the form would lack one.
        if getattr(settings, "IS_PRODUCTION", False):
            missing = [
                f"LOTSE_DPO_{key}"
                for key in DPO_SETTINGS
                if not getattr(settings, f"DPO_{key}", "")
            ]
            if missing:
                logging.getLogger(__name__).warning(
                    "The consent form names no complete data-protection officer contact "
                    "(Art. 13(1)(b) GDPR): set %s.",
                    ", ".join(missing),
                )
