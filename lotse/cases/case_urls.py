from django.urls import path

from . import case_views as views
from . import conference_views, matching_views, plan_views, retention_views

app_name = "case"

urlpatterns = [
    path("", views.my_families, name="my_families"),
    path("team/", views.team_families, name="team"),
    path("retention/", retention_views.retention_list, name="retention"),
    path("retention/erase/", retention_views.erasure_list, name="erasure"),
    path("retention/erase/automatic/", retention_views.automatic_erasure, name="auto_erasure"),
    path("retention/erase/<id:pk>/", retention_views.erase, name="erase"),
    path("open/<str:public_id>/", views.case_open, name="open"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/phase/", views.case_transition, name="transition"),
    path("<id:pk>/participants/", views.participant_save, name="participant"),
    path(
        "<id:pk>/participants/<slug:code>/leave/",
        views.participant_leave,
        name="participant_leave",
    ),
    path("<id:pk>/lead/", views.lead_change, name="lead"),
    path("<id:pk>/assign/", views.case_assign, name="assign"),
    path("<id:pk>/handover/", views.handover_propose, name="handover"),
    path("<id:pk>/handover/decide/", views.handover_decide, name="handover_decide"),
    path("assignments/<id:pk>/end/", views.assignment_end, name="assignment_end"),
    path("<id:pk>/assessments/new/", plan_views.assessment_new, name="assessment_new"),
    path("<id:pk>/goals/new/", plan_views.goal_new, name="goal_new"),
    path("<id:pk>/goals/<uuid:group>/", plan_views.goal_edit, name="goal_edit"),
    path("<id:pk>/goals/<uuid:group>/measures/new/", plan_views.measure_new, name="measure_new"),
    path("<id:pk>/measures/<uuid:group>/", plan_views.measure_edit, name="measure_edit"),
    path("<id:pk>/journal/new/", plan_views.case_entry_new, name="entry_new"),
    path("<id:pk>/timeline/", plan_views.case_timeline, name="timeline"),
    path("<id:pk>/matching/", matching_views.case_matching, name="matching"),
    path("<id:pk>/matching/unmet/", matching_views.need_unmet, name="need_unmet"),
    path("<id:pk>/plan.pdf", plan_views.plan_print, name="plan_pdf"),
    path("<id:pk>/conferences/new/", conference_views.conference_new, name="conference_new"),
    path("conferences/<id:pk>/", conference_views.conference_detail, name="conference"),
    path("conferences/<id:pk>/hold/", conference_views.conference_hold, name="conference_hold"),
    path(
        "conferences/<id:pk>/minutes/", conference_views.conference_minute, name="conference_minute"
    ),
    path(
        "conferences/<id:pk>/decisions/",
        conference_views.conference_decision,
        name="conference_decision",
    ),
    path(
        "conferences/<id:pk>/decisions/<uuid:group>/done/",
        conference_views.decision_done,
        name="decision_done",
    ),
    path(
        "conferences/<id:pk>/decisions/<uuid:group>/due/",
        conference_views.decision_due,
        name="decision_due",
    ),
    path("conferences/<id:pk>/minutes.pdf", conference_views.minutes_pdf, name="minutes_pdf"),
]
