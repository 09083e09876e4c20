from django.urls import path

from . import report_views, views

app_name = "reports"

urlpatterns = [
    path("", views.figures_page, name="figures"),
    path("export.<str:fmt>", views.figures_export, name="figures_export"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/", views.finding_edit, name="finding_edit"),
    path("network/", views.network, name="network"),
    path("network/posts/new/", views.staff_post_new, name="staff_post_new"),
    path("network/meetings/new/", views.meeting_new, name="meeting_new"),
    path("network/agreements/new/", views.agreement_new, name="agreement_new"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/new/", report_views.report_new, name="report_new"),
    path("reports/<int:pk>/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/annex.xlsx", report_views.report_annex_xlsx, name="report_annex_xlsx"),
    path("reports/<int:pk>/oparl.json", report_views.report_oparl, name="report_oparl"),
    path(
        "reports/<int:pk>/versions/<int:number>/",
        report_views.report_version,
        name="report_version",
    ),
]
