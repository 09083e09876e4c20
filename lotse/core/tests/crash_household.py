"""Run by ``test_concurrency``: a household registration that is killed halfway.

Registers a household of three for the user named in argv[1] and, once the second member's
row is written — persons, household, memberships and audit events inserted, nothing committed —
writes what it inserted to the file named in argv[2] and waits to be killed. The database comes
from ``LOTSE_TEST_DATABASE_URL`` (the test's own database, set by the test).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main(username: str, ready_file: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()

    from django.db import connection
    from django.db.models.signals import post_save

    from lotse.accounts.models import User
    from lotse.audit.models import AuditEvent
    from lotse.people.choices import HouseholdRole
    from lotse.people.models import HouseholdMember
    from lotse.people.services import HouseholdData, MemberData, PersonData, household_register

    def pause_inside_the_transaction(sender: Any, instance: HouseholdMember, **kwargs: Any) -> None:
        members = HouseholdMember.objects.filter(household_id=instance.household_id)
        if members.count() < 2:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
        inserted = {
            "backend_pid": backend_pid,
            "household_id": instance.household_id,
            "person_ids": sorted(members.values_list("person_id", flat=True)),
            "audit_event_ids": sorted(
                AuditEvent.objects.filter(actor__username=username).values_list("pk", flat=True)
            ),
        }
        partial = ready_file.with_suffix(".partial")
        partial.write_text(json.dumps(inserted))
        partial.rename(ready_file)  # the parent sees the whole file or none
        time.sleep(600)  # killed here, inside the open transaction

    post_save.connect(pause_inside_the_transaction, sender=HouseholdMember)
    user = User.objects.get(username=username)
    household_register(
        household=HouseholdData(street="Wupperstraße 7", postcode="42275"),
        members=[
            MemberData(person=PersonData(given_names=given, family_name="Haddad"), role=role)
            for given, role in [
                ("Amal", HouseholdRole.HEAD),
                ("Yusuf", HouseholdRole.CHILD),
                ("Rania", HouseholdRole.CHILD),
            ]
        ],
        membership=user.primary_membership(),  # type: ignore[arg-type]
        actor=user,
    )


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
