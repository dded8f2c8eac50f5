"""PostgreSQL: a trigram index on the folded name, so that name search (``LIKE '%…%'`` on
``name_search``, ranked in SQL) never scans the table. The folding itself (accents, case,
hyphens, "saint" → "st") is done once when the registry is loaded, the same on every
database, so ``unaccent`` is not needed at query time. Nothing to do on SQLite (the
registry's 36,000 rows are scanned in a few milliseconds there).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction

INDEX = "registry_authority_name_search_trgm"
log = logging.getLogger(__name__)


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("registry", "Authority")._meta.db_table
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:  # not allowed to create extensions: search still works, unindexed
        log.warning("pg_trgm indisponible (%s) : recherche des noms sans index trigramme", exc)
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (name_search gin_trgm_ops)")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
