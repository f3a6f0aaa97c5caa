"""A stored, indexed search document per release, on PostgreSQL only.

`releases_release.search_document` is a generated column: the text vector of the headline, subheadline and
body in the release's own language (english, french; "simple" for any other), computed by PostgreSQL when a
row is written, with one GIN index over it. Search matches and ranks on the stored vector instead of
recomputing it for every match (see `releases.search`). The column replaces the per-language expression
indexes of migration 0003, which nothing uses any more.

The column is not part of the model (nothing reads it but `releases.search`), so `makemigrations --check`
stays quiet. On SQLite, which searches with the portable fallback, this migration does nothing.

Adding the column rewrites the table once and computes every release's vector: a few minutes at 100,000
releases, so the statement timeout is lifted for this migration.
"""

from django.db import migrations

# Keep in step with releases.search.SEARCH_CONFIGS (a new language needs a migration of its own).
CONFIGS = {"en": "english", "fr": "french"}
TEXT = "COALESCE(headline, '') || ' ' || COALESCE(subheadline, '') || ' ' || COALESCE(body, '')"
WHENS = " ".join(
    f"WHEN '{language}' THEN to_tsvector('{config}'::regconfig, {TEXT})" for language, config in CONFIGS.items()
)

FORWARD = [
    "SET LOCAL statement_timeout = 0",
    "DROP INDEX IF EXISTS release_search_en_gin",
    "DROP INDEX IF EXISTS release_search_fr_gin",
    f"""ALTER TABLE releases_release ADD COLUMN search_document tsvector
        GENERATED ALWAYS AS (CASE language {WHENS} ELSE to_tsvector('simple'::regconfig, {TEXT}) END) STORED""",
    "CREATE INDEX release_search_document_gin ON releases_release USING gin (search_document)",
]
BACKWARD = [
    "SET LOCAL statement_timeout = 0",
    "DROP INDEX IF EXISTS release_search_document_gin",
    "ALTER TABLE releases_release DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)
    # Migration 0003's per-language expression indexes, as they were.
    from importlib import import_module

    import_module("releases.migrations.0003_search_index").add_indexes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("releases", "0007_publication_moment_range")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
