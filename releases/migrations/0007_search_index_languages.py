"""Full-text search indexes of the content languages added with issue 13, on PostgreSQL only (see 0003).

The expression is `releases.search.search_vector(language)`'s, copied so this migration stays as it was.
"""

from django.db import migrations
from django.db.models import Q

CONFIGS = {
    "de": "german",
    "it": "italian",
    "es": "spanish",
    "nl": "dutch",
    "sv": "swedish",
    "fi": "finnish",
    "da": "danish",
}


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
    dependencies = [("releases", "0006_languages_house_style_listings")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
