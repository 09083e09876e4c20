from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .roles import Capability


class LotseAdminSite(admin.AdminSite):
    site_header = _("Lotse administration")
    site_title = _("Lotse administration")

    def has_permission(self, request: HttpRequest) -> bool:
        """Only system administrators, whatever flags an account carries."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return any(
            membership.can(Capability.ADMINISTER_SYSTEM)
            for membership in user.memberships.filter(is_active=True)
        )


class LotseAdminConfig(AdminConfig):
    default_site = "lotse.accounts.admin_site.LotseAdminSite"
