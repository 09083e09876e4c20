"""Decisions of case conferences become tasks of the agency that must carry them out."""

from django.db import migrations, models


def create_rule(apps, schema_editor):
    DeadlineRule = apps.get_model("scheduling", "DeadlineRule")
    DeadlineRule.objects.get_or_create(kind="conference_decision", defaults={"lead_days": [14]})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_default_rules")]

    operations = [
        migrations.AlterField(
            model_name="deadlinerule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("residence_expiry", "Residence permit expires"),
                    ("consent_expiry", "Consent expires"),
                    ("kita_age", "Child reaches the age for a Kita place"),
                    ("school_entry", "Child starts school"),
                    ("integration_course", "Right to an integration course ends"),
                    ("domain_transition", "Change of benefit law needs a hand-over"),
                    ("referral_answer", "Referral not answered in time"),
                    ("goal_target", "Goal of the plan due"),
                    ("follow_up", "Follow-up of a talk"),
                    ("conference_decision", "Decision of a case conference due"),
                ],
                max_length=24,
                unique=True,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(create_rule, migrations.RunPython.noop),
    ]
