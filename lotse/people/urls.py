from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("duplicate-check/", views.duplicate_check, name="duplicate_check"),
    path("p/<str:public_id>/", views.person_detail, name="person_detail"),
    path("p/<str:public_id>/edit/", views.person_edit, name="person_edit"),
    path("p/<str:public_id>/residence/new/", views.residence_add, name="residence_add"),
    path("p/<str:public_id>/merge/", views.merge, name="merge"),
    path("h/<str:public_id>/", views.household_detail, name="household_detail"),
    path("merges/<id:pk>/decide/", views.merge_decide, name="merge_decide"),
]
