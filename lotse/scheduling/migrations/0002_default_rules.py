"""The start set of deadline rules; a city changes steps and wording in the admin."""

from django.db import migrations

RULES = {
    "residence_expiry": [90, 30, 7],
    "consent_expiry": [30],
    "kita_age": [180, 90],
    "school_entry": [300, 120],
    "integration_course": [120, 30],
    "domain_transition": [30, 7],
    "referral_answer": [0],
    "goal_target": [14],
    "follow_up": [1],
}


def create_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("scheduling", "DeadlineRule")
    for kind, lead_days in RULES.items():
        DeadlineRule.objects.get_or_create(kind=kind, defaults={"lead_days": lead_days})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
