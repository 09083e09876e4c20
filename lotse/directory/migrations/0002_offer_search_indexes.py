"""Indexes for the directory search (``selectors.offers_search``).

- ``dir_offer_name_idx`` on ``(name, id)``, the order of every list: a page of a broad search is
  read off the index instead of sorting all current offers (both engines).
- On PostgreSQL only, trigram indexes (``pg_trgm``, GIN) on the expressions Django's
  ``icontains`` compares — ``UPPER(name)`` and ``UPPER(description)`` of the offer and
  ``UPPER(name)`` of the provider — so that a search word is found through the indexes instead of
  folding the case of every offer's texts. ``pg_trgm`` ships with PostgreSQL and is a *trusted*
  extension (PostgreSQL 13 and later): the owner of the database may create it. They are not
  in the models' ``Meta.indexes`` (SQLite has no such index), so the migration state does not
  know them and ``makemigrations`` stays quiet; on SQLite this step does nothing.
  ``fastupdate = off``: a write goes into the index at once. With the default, writes collect
  in a pending list that every search reads through until (auto)vacuum merges it — after an
  import of a few thousand offers that made a search slower than a sequential scan. Offers are
  written rarely and read often.
"""

from typing import Any

from django.db import migrations, models

TRIGRAM_INDEXES = (
    ("dir_offer_name_trgm", "directory_offer", "name"),
    ("dir_offer_description_trgm", "directory_offer", "description"),
    ("dir_provider_name_trgm", "directory_provider", "name"),
)


def create_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    quote = schema_editor.quote_name
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
            f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops) WITH (fastupdate = off)",
            params=None,
        )


def drop_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    # The extension stays: other objects of the database may use it.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}", params=None)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(fields=["name", "id"], name="dir_offer_name_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
