from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from lotse.accounts import views as account_views
from lotse.api.api import api_urls
from lotse.core import converters
from lotse.core import views as core_views

converters.register()

urlpatterns = [
    path("", account_views.start, name="start"),
    path("accounts/", include("lotse.accounts.urls")),
    path("people/", include("lotse.people.urls")),
    path("consent/", include("lotse.consent.urls")),
    path("journal/", include("lotse.cases.urls")),
    path("cases/", include("lotse.cases.case_urls")),
    path("privacy/", include("lotse.privacy.urls")),
    path("directory/", include("lotse.directory.urls")),
    path("referrals/", include("lotse.referrals.urls")),
    path("steering/", include("lotse.reports.urls")),
    path("", include("lotse.scheduling.urls")),
    path("angebote/", include("lotse.directory.public_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", core_views.health, name="health"),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]
