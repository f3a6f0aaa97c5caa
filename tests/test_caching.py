"""Kept public answers: only what is public, replayed exactly, never past the next moment."""

import datetime as dt

import pytest
from django.utils import timezone

from releases import services
from releases.caching import keep_until
from releases.models import Release

pytestmark = pytest.mark.django_db


def test_a_kept_page_is_replayed_without_a_query_and_answers_304(client, demo, django_assert_num_queries):
    first = client.get(demo.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(demo.get_absolute_url())
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    with django_assert_num_queries(0):
        assert client.get(demo.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    pdf = client.get(demo.get_pdf_url())
    with django_assert_num_queries(0):
        assert client.get(demo.get_pdf_url()).content == pdf.content


def test_a_withdrawal_shows_at_once_on_a_kept_page(client, demo):
    from django.contrib.auth import get_user_model

    assert client.get(demo.get_absolute_url()).status_code == 200
    publisher = get_user_model().objects.get(username="publisher")
    services.release_withdraw(release=demo, user=publisher, notice="Withdrawn at the company's request.")
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 410
    assert "Withdrawn at the company" in response.content.decode()


def test_an_answer_is_kept_no_later_than_the_next_scheduled_moment(demo):
    moment = timezone.now() + dt.timedelta(seconds=5)
    Release.objects.filter(pk=demo.pk).update(status=Release.Status.PUBLISHED)
    scheduled = Release.objects.exclude(pk=demo.pk).first()
    Release.objects.filter(pk=scheduled.pk).update(status=Release.Status.PUBLISHED, publication_at=moment)
    assert keep_until(30) == moment
    assert keep_until(2) < moment
