"""Name keys written anew: Latin spellings also get cross-script keys (people.names
``script_name_keys``), so that a query in Arabic or Persian script finds a person recorded
only in Latin letters."""

from typing import Any

from django.db import migrations

BATCH = 2_000


def reindex(apps: Any, schema_editor: Any) -> None:
    from lotse.people.search import name_key_values

    person_model = apps.get_model("people", "Person")
    key_model = apps.get_model("people", "PersonNameKey")
    fields = ("pk", "owner_agency_id", "given_names", "family_name", "aliases", "native_name")
    last = 0
    while True:
        batch = list(
            person_model.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:BATCH]
        )
        if not batch:
            return
        last = batch[-1][0]
        key_model.objects.filter(person_id__in=[row[0] for row in batch]).delete()
        key_model.objects.bulk_create(
            [
                key_model(person_id=pk, owner_agency_id=agency, kind=kind, value=value)
                for pk, agency, given, family, aliases, native in batch
                for kind, value in name_key_values(
                    given_names=given,
                    family_name=family,
                    aliases=[str(a) for a in aliases or []],
                    native_name=native,
                )
            ],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_householddeparture")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
