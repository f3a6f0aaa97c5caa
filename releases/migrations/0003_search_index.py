"""Full-text search indexes, on PostgreSQL only: one partial GIN expression index per release language.

Each index is built from the expression that `releases.search.search_vector(language)` builds (copied
here, so this migration stays as it was; a test checks that the planner uses the index for a search).
Other databases search with the portable fallback and get no index here. Nothing changes the model
state, so `makemigrations --check` stays quiet.
"""

from django.db import migrations
from django.db.models import Q

CONFIGS = {"en": "english", "fr": "french"}


def _indexes():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return [
        GinIndex(
            SearchVector("headline", "subheadline", "body", config=config),
            name=f"release_search_{language}_gin",
            condition=Q(language=language),
        )
        for language, config in CONFIGS.items()
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    release = apps.get_model("releases", "Release")
    for index in _indexes():
        schema_editor.add_index(release, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    release = apps.get_model("releases", "Release")
    for index in _indexes():
        schema_editor.remove_index(release, index)


class Migration(migrations.Migration):
    dependencies = [("releases", "0002_roles")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
