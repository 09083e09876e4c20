"""Name keys carry their person's registering agency, so that search applies the access rule
to the key rows alone (see people.search.candidate_query)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="personnamekey",
            name="owner_agency",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        migrations.RunSQL(
            "UPDATE people_personnamekey SET owner_agency_id = (SELECT owner_agency_id FROM "
            "people_person WHERE people_person.id = people_personnamekey.person_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="personnamekey",
            name="owner_agency",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
    ]
