from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("p/<str:public_id>/", views.person_journal, name="person_journal"),
    path("p/<str:public_id>/new/", views.entry_create, name="entry_create"),
    path("<id:pk>/", views.entry_detail, name="entry_detail"),
]
