"""Data migrations carry what is already frozen: run backwards and forwards on the demo's snapshots."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from releases.models import Snapshot


@pytest.mark.django_db(transaction=True)
def test_0015_gives_each_existing_snapshot_the_label_its_content_froze(demo):
    Snapshot.objects.update(label="")
    executor = MigrationExecutor(connection)
    executor.migrate([("releases", "0014_review_readings")])
    executor.loader.build_graph()
    executor.migrate([("releases", "0015_snapshot_label")])
    snapshots = list(Snapshot.objects.all())
    assert {s.label for s in snapshots} == {"press_release", "inside_information"}  # the OSE and the Kide pairs
    assert all(s.label == s.content_json["label"] for s in snapshots)
