from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("p/<str:public_id>/", views.person_access, name="person_access"),
]
