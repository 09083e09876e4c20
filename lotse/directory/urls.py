"""Staff pages of the directory under ``/directory/`` (see ``views``)."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("offers/<id:pk>/", views.offer_detail, name="offer"),
    path("offers/<id:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<id:pk>/confirm/", views.offer_confirm, name="offer_confirm"),
    path("offers/<id:pk>/referrals/", views.offer_referrals, name="offer_referrals"),
    path("offers/<id:pk>/end/", views.offer_end, name="offer_end"),
    path("offers/<id:pk>/reopen/", views.offer_reopen, name="offer_reopen"),
    path("manage/", views.manage, name="manage"),
    path("providers/propose/", views.provider_propose, name="provider_propose"),
    path("providers/proposed/", views.proposals, name="proposals"),
    path("providers/<id:pk>/decide/", views.provider_decide, name="provider_decide"),
    path("providers/<id:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<id:pk>/offers/new/", views.offer_create, name="offer_create"),
    path("providers/<id:pk>/locations/new/", views.location_create, name="location_create"),
    path("locations/<id:pk>/edit/", views.location_edit, name="location_edit"),
    path("locations/<id:pk>/delete/", views.location_delete, name="location_delete"),
]
