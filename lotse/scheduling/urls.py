from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<id:pk>/", views.task_detail, name="task"),
    path("tasks/<id:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<id:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<id:pk>/comment/", views.task_comment, name="task_comment"),
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/<id:pk>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<id:pk>/reschedule/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path("appointments/<id:pk>/close/", views.appointment_close, name="appointment_close"),
    path(
        "appointments/<id:pk>/participants/",
        views.appointment_participants,
        name="appointment_participants",
    ),
    path(
        "appointments/<id:pk>/interpreter/",
        views.appointment_interpreter,
        name="appointment_interpreter",
    ),
    path("appointments/<id:pk>/termin.ics", views.appointment_ics, name="appointment_ics"),
    path(
        "appointments/<id:pk>/invitation/",
        views.appointment_invitation,
        name="appointment_invitation",
    ),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
