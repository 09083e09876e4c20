from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
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

    @login_not_required
    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """No login form of its own: Lotse's login page asks for the second factor too.

        The admin's form would log a user in with the password alone (and reset the count of
        wrong codes with it).
        """
        if request.user.is_authenticated:
            # Logged in but no system administrator: nothing here for them.
            return HttpResponseRedirect(reverse("start"))
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class LotseAdminConfig(AdminConfig):
    default_site = "lotse.accounts.admin_site.LotseAdminSite"
