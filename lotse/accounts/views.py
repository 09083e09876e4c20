from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .access import current_user
from .forms import LoginForm
from .middleware import SESSION_KEY
from .models import Membership
from .roles import START_PAGE_SECTIONS
from .services import membership_switch
from .start import start_panels


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): ends the session in the database, not just the cookie."""


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    membership: Membership | None = getattr(request, "membership", None)
    sections = []
    if membership is not None:
        for section in START_PAGE_SECTIONS:
            if not membership.can(section.capability):
                continue
            url = None
            if section.url_name:
                try:
                    url = reverse(section.url_name)
                except NoReverseMatch:
                    url = None
            if section.url_name == "admin:index" and not request.user.is_staff:
                url = None
            sections.append({"section": section, "url": url})
    memberships = (
        Membership.objects.filter(
            user=current_user(request), is_active=True, agency__is_active=True
        )
        .select_related("agency")
        .order_by("pk")
    )
    panels = start_panels(request=request, membership=membership) if membership else []
    return render(
        request,
        "accounts/start.html",
        {"sections": sections, "memberships": memberships, "panels": panels},
    )


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.select_related("agency")
        .filter(
            pk=membership_id, user=current_user(request), is_active=True, agency__is_active=True
        )
        .first()
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.pk
    membership_switch(user=current_user(request), membership=membership)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("start")
    return HttpResponseRedirect(target)
