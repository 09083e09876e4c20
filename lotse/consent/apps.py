from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "lotse.consent"
    label = "consent"
    verbose_name = _("Consent and access")

    def ready(self) -> None:
        # The person page lives in people, which depends on consent: register lazily.
        from django.apps import apps

        if apps.is_installed("lotse.people"):
            from lotse.people.panels import register_person_panel

            register_person_panel("consent/_person_consent.html")
