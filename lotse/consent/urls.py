from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.register, name="register"),
    path("export/<str:file_format>/", views.register_export, name="register_export"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/give/", views.give, name="give"),
    path("<id:pk>/refuse/", views.refuse, name="refuse"),
    path("<id:pk>/confirm/", views.confirm, name="confirm"),
    path("<id:pk>/form/<str:language>/", views.print_form, name="print_form"),
    path("<id:pk>/signed-form/", views.signed_form, name="signed_form"),
    path("p/<str:public_id>/", views.person_register, name="person_register"),
    path("p/<str:public_id>/new/", views.record_consent, name="record"),
    path("p/<str:public_id>/new/form/", views.print_draft, name="print_draft"),
    path("p/<str:public_id>/emergency/", views.break_glass, name="break_glass"),
    path("emergency/", views.break_glass_review, name="break_glass_review"),
    path("emergency/open/", views.break_glass_start, name="break_glass_start"),
    path("emergency/<id:pk>/", views.break_glass_detail, name="break_glass_detail"),
    path("legal-bases/", views.legal_bases, name="legal_bases"),
    path("legal-bases/new/", views.legal_basis_create, name="legal_basis_create"),
    path("legal-bases/<id:pk>/edit/", views.legal_basis_edit, name="legal_basis_edit"),
]
