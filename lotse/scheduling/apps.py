from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "lotse.scheduling"
    label = "scheduling"
    verbose_name = _("Daily work")

    def ready(self) -> None:
        from lotse.accounts.start import register_start_panel
        from lotse.people.panels import register_person_panel

        from . import deadlines  # noqa: F401  (registers the deadline sources)
        from .panels import person_work_panel
        from .views import start_daily_work

        register_start_panel(start_daily_work)
        register_person_panel(person_work_panel)

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .models import Appointment, AppointmentParticipant, Task

        return {
            "tasks": Task.objects.filter(subject_id=merged_id).update(subject_id=survivor_id),
            "appointments": Appointment.objects.filter(subject_id=merged_id).update(
                subject_id=survivor_id
            ),
            # where both records take part, the survivor's row is enough
            "appointment_participants": AppointmentParticipant.objects.filter(person_id=merged_id)
            .exclude(
                appointment__in=AppointmentParticipant.objects.filter(person_id=survivor_id).values(
                    "appointment"
                )
            )
            .update(person_id=survivor_id),
        }
