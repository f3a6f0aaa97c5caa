"""`manage.py release` drives the same services as the admin, and refuses in the same words."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from releases.models import Release, Snapshot
from tests.factories import events, ready_release, row, user_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_rendering")]


def run(*args) -> str:
    out = io.StringIO()
    command = "review" if args[0] == "review" else "release"
    call_command(command, *[str(a) for a in (args[1:] if command == "review" else args)], stdout=out)
    return out.getvalue().strip()


def test_the_command_walks_a_release_to_publication_and_withdrawal():
    writer, reviewer = user_in("Writer", "writer"), user_in("Reviewer", "reviewer")
    user_in("Publisher", "publisher")
    release = ready_release(writer, publication_at=timezone.now() - dt.timedelta(minutes=5))

    assert run("submit", release.pk, "--user", "writer").endswith("is now in review.")
    run("return", release.pk, "--user", "reviewer", "--comment", "Name the trial.")
    run("submit", release.pk, "--user", "writer")
    read = run("review", release.pk, "--user", "reviewer")
    version, digest = re.search(r"--version-read (\d+) --digest ([0-9a-f]{64})", read).groups()
    assert "ACME BIOTECH REPORTS POSITIVE PHASE 2 RESULTS" in read
    run("approve", release.pk, "--user", "reviewer", "--version-read", version, "--digest", digest)
    at = release.publication_at.isoformat()
    assert run("publish", release.pk, "--user", "publisher", "--at", at).endswith("is now published.")
    run("withdraw", release.pk, "--user", "publisher", "--comment", "Issued in error.")

    assert Release.objects.get(pk=release.pk).status == "withdrawn"
    assert events(release)[-6:] == ["submitted", "returned", "submitted", "approved", "published", "withdrawn"]
    assert reviewer.pk == Release.objects.get(pk=release.pk).approved_by_id


def test_the_command_refuses_in_plain_words_and_changes_nothing():
    writer = user_in("Writer", "writer")
    user_in("Publisher", "publisher")
    release = ready_release(writer)
    before, trail = row(release), events(release)

    with pytest.raises(CommandError) as exc:
        run("publish", release.pk, "--user", "publisher")

    assert str(exc.value) == (
        "You cannot publish this release: it has not been approved. A reviewer must approve it first."
    )
    with pytest.raises(CommandError, match="ask for the Reviewer role"):
        run("approve", release.pk, "--user", "writer")
    assert row(release) == before
    assert events(release) == trail
    assert not Snapshot.objects.exists()
