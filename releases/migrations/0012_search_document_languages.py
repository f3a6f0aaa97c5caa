"""The stored search document (migration 0008) for every content language, on PostgreSQL only.

0008 built `search_document` with the English and French stemmers ("simple" for any other language); the
content languages are now nine, so the generated column is built again with each one's stemmer. PostgreSQL
cannot change a generated column's expression: the column and its GIN index are dropped and added again,
which rewrites the table once (minutes at 100,000 releases; the statement timeout is lifted).
"""

from django.db import migrations

# Keep in step with releases.search.SEARCH_CONFIGS.
CONFIGS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
    "nl": "dutch",
    "sv": "swedish",
    "fi": "finnish",
    "da": "danish",
}
TEXT = "COALESCE(headline, '') || ' ' || COALESCE(subheadline, '') || ' ' || COALESCE(body, '')"


def statements(configs: dict) -> list[str]:
    whens = " ".join(
        f"WHEN '{language}' THEN to_tsvector('{config}'::regconfig, {TEXT})" for language, config in configs.items()
    )
    return [
        "SET LOCAL statement_timeout = 0",
        "DROP INDEX IF EXISTS release_search_document_gin",
        "ALTER TABLE releases_release DROP COLUMN IF EXISTS search_document",
        f"""ALTER TABLE releases_release ADD COLUMN search_document tsvector
            GENERATED ALWAYS AS (CASE language {whens} ELSE to_tsvector('simple'::regconfig, {TEXT}) END) STORED""",
        "CREATE INDEX release_search_document_gin ON releases_release USING gin (search_document)",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(CONFIGS):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements({"en": "english", "fr": "french"}):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("releases", "0011_languages_house_style_listings")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
