from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/form/<str:language>/", views.print_form, name="print_form"),
    path("<int:pk>/signed-form/", views.signed_form, name="signed_form"),
    path("p/<str:public_id>/", views.person_register, name="person_register"),
    path("p/<str:public_id>/new/", views.record_consent, name="record"),
    path("p/<str:public_id>/emergency/", views.break_glass, name="break_glass"),
    path("emergency/", views.break_glass_review, name="break_glass_review"),
    path("legal-bases/", views.legal_bases, name="legal_bases"),
    path("legal-bases/new/", views.legal_basis_create, name="legal_basis_create"),
    path("legal-bases/<int:pk>/edit/", views.legal_basis_edit, name="legal_basis_edit"),
]
