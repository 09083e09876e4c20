"""Hand-over tasks made per person before they were made per household.

Since one household's transitions at one date are one deadline (key
``transition-household:<household>:<date>``), the first run after the update would have made
a household task beside the per-person tasks already there. Here one per-person task of each
household, agency and date — an open one first, else the oldest — takes the household key, so
the run finds it and makes none; the others stay as they are, with their history.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

PERSON_KEY = re.compile(r"^transition:(\d+):(\d{4}-\d{2}-\d{2})$")


def household_keys(apps: Any, schema_editor: Any) -> None:
    Task = apps.get_model("scheduling", "Task")
    DomainTransition = apps.get_model("people", "DomainTransition")
    HouseholdMember = apps.get_model("people", "HouseholdMember")
    tasks = list(
        Task.objects.filter(source_key__startswith="transition:")
        .order_by("pk")
        .values("pk", "owner_agency_id", "source_key", "status")
    )
    if not tasks:
        return
    parsed = {t["pk"]: PERSON_KEY.match(t["source_key"]) for t in tasks}
    transition_ids = {int(m.group(1)) for m in parsed.values() if m}
    person_of = dict(
        DomainTransition.objects.filter(pk__in=transition_ids).values_list("pk", "person_id")
    )
    household_of: dict[int, int] = {}
    # the oldest membership, as the deadline run chooses it
    for person_id, household_id in (
        HouseholdMember.objects.filter(person_id__in=set(person_of.values()))
        .order_by("-pk")
        .values_list("person_id", "household_id")
    ):
        household_of[person_id] = household_id
    taken = set(
        Task.objects.filter(source_key__startswith="transition-household:").values_list(
            "owner_agency_id", "source_key"
        )
    )
    # an open task first, else the oldest
    for task in sorted(tasks, key=lambda t: (t["status"] != "open", t["pk"])):
        match = parsed[task["pk"]]
        if match is None:
            continue
        household = household_of.get(person_of.get(int(match.group(1)), -1))
        if household is None:
            continue
        key = (task["owner_agency_id"], f"transition-household:{household}:{match.group(2)}")
        if key in taken:
            continue
        taken.add(key)
        Task.objects.filter(pk=task["pk"]).update(source_key=key[1])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0005_referral_answer_label"),
        ("people", "0006_namekey_cross_script"),
    ]

    operations = [migrations.RunPython(household_keys, migrations.RunPython.noop)]
