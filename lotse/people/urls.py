from django.urls import path

from . import household_views, register_views, views

app_name = "people"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("register/", register_views.register, name="register"),
    path("duplicate-check/", register_views.duplicate_check, name="duplicate_check"),
    path("p/<str:public_id>/", views.person_detail, name="person_detail"),
    path("p/<str:public_id>/edit/", views.person_edit, name="person_edit"),
    path("p/<str:public_id>/residence/new/", views.residence_add, name="residence_add"),
    path("p/<str:public_id>/merge/", views.merge, name="merge"),
    path("h/<str:public_id>/", household_views.household_detail, name="household_detail"),
    path(
        "h/<str:public_id>/address/",
        household_views.household_address_edit,
        name="household_address",
    ),
    path(
        "h/<str:public_id>/members/new/",
        household_views.household_member_add,
        name="household_member_add",
    ),
    path(
        "h/<str:public_id>/members/<str:person_id>/move-out/",
        household_views.household_move_out,
        name="household_move_out",
    ),
    path("merges/<id:pk>/decide/", views.merge_decide, name="merge_decide"),
]
