"""The gate: which releases are public, decided by the clock at every read; which of them the lists show."""

import datetime as dt

import pytest
from django.utils import timezone

from releases.models import Release
from tests import factories

from .factories import (
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def test_published_is_decided_by_the_clock_at_every_read():
    moment = timezone.now() + dt.timedelta(hours=1)
    release = ReleaseFactory(status=Release.Status.PUBLISHED, publication_at=moment)
    assert list(Release.objects.published(now=moment - dt.timedelta(seconds=1))) == []
    assert list(Release.objects.published(now=moment)) == [release]
    draft = ReleaseFactory(status=Release.Status.DRAFT, publication_at=moment - dt.timedelta(days=2))
    assert draft not in Release.objects.published()


def test_a_corrected_release_leaves_the_lists_only_once_its_correction_is_public():
    moment = timezone.now() - dt.timedelta(days=1)
    original = ReleaseFactory(status=Release.Status.CORRECTED, publication_at=moment)
    correction = ReleaseFactory(
        company=original.company,
        corrects=original,
        status=Release.Status.PUBLISHED,
        publication_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert list(Release.objects.listed()) == [original]
    later = timezone.now() + dt.timedelta(hours=2)
    assert list(Release.objects.listed(now=later)) == [correction]
    assert set(Release.objects.published(now=later)) == {original, correction}


@pytest.mark.parametrize("status", ["draft", "in_review", "approved"])
def test_a_release_nobody_published_is_never_public_even_after_its_moment(status):
    factories.ReleaseFactory(status=status, publication_at=factories.PAST)
    assert not Release.objects.published().exists()
    assert not Release.objects.listed().exists()


def test_public_lists_leave_out_a_withdrawn_release_which_keeps_its_address():
    withdrawn = factories.ReleaseFactory(status="withdrawn", publication_at=factories.PAST)
    assert list(Release.objects.published()) == [withdrawn]
    assert not Release.objects.listed().exists()


def test_scheduled_releases_are_the_published_ones_whose_moment_is_ahead():
    now = timezone.now()
    ahead = factories.ReleaseFactory(status="published", publication_at=now + dt.timedelta(seconds=1))
    factories.ReleaseFactory(status="published", publication_at=now - dt.timedelta(seconds=1))
    factories.ReleaseFactory(status="approved", publication_at=now + dt.timedelta(hours=1))
    assert list(Release.objects.scheduled(now)) == [ahead]
    assert not Release.objects.published(now).filter(pk=ahead.pk).exists()
    assert Release.objects.published(ahead.publication_at).filter(pk=ahead.pk).exists()
