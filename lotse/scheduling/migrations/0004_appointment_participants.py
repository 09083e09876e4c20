"""Family members taking part in an appointment; the person it is with always is one."""

import django.db.models.deletion
from django.db import migrations, models


def subjects_take_part(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    AppointmentParticipant = apps.get_model("scheduling", "AppointmentParticipant")
    rows = Appointment.objects.values_list("pk", "subject_id").iterator(chunk_size=2000)
    batch = []
    for appointment_id, subject_id in rows:
        batch.append(AppointmentParticipant(appointment_id=appointment_id, person_id=subject_id))
        if len(batch) >= 2000:
            AppointmentParticipant.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    AppointmentParticipant.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_namekey_cross_script"),
        ("scheduling", "0003_conference_decisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="AppointmentParticipant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "appointment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="scheduling.appointment",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "family member taking part",
                "verbose_name_plural": "family members taking part",
                "indexes": [
                    models.Index(fields=["person", "appointment"], name="sched_appt_person_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("appointment", "person"), name="sched_appt_participant"
                    )
                ],
            },
        ),
        migrations.RunPython(subjects_take_part, migrations.RunPython.noop),
    ]
