"""The city's data-protection officer, whom a family contacts about its data (Art. 13(1)(b) GDPR).

Printed on the consent form and shown on the page where a consent is recorded. The contact
comes from the ``LOTSE_DPO_*`` settings (``DPO_NAME``, ``DPO_ADDRESS``, ``DPO_EMAIL``,
``DPO_PHONE``); development and tests have a fictional office, production only what is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DpoContact:
    name: str
    address: str
    email: str
    phone: str

    @property
    def configured(self) -> bool:
        """Whether there is anything to print beyond the office's generic mention."""
        return any((self.name, self.address, self.email, self.phone))


def dpo_contact() -> DpoContact:
    """The contact as configured now (read on every call, so settings overrides apply)."""
    return DpoContact(
        name=str(getattr(settings, "DPO_NAME", "")),
        address=str(getattr(settings, "DPO_ADDRESS", "")),
        email=str(getattr(settings, "DPO_EMAIL", "")),
        phone=str(getattr(settings, "DPO_PHONE", "")),
    )
