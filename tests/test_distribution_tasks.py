"""The workflow's signal queues the right tasks at the right moment; the catch-up pass keeps itself queued;
EMAIL_URL becomes a mailer."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.settings.base import mailer_from_url
from releases import services as workflow
from releases.distribution import services
from releases.signals import release_transitioned
from tests import factories
from tests.distribution_support import published_release, role_users

pytestmark = pytest.mark.django_db


def queued(task):
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status="READY").order_by("enqueued_at"))


def test_publishing_queues_the_dispatch_for_the_moment_and_unscheduling_leaves_it_to_find_nothing(
    django_capture_on_commit_callbacks, fast_rendering
):
    writer, reviewer, publisher = role_users()
    moment = (timezone.now() + dt.timedelta(hours=3)).replace(microsecond=0)
    seen = []
    release_transitioned.connect(lambda sender, **kw: seen.append(kw["transition"]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            release = published_release(moment=moment, roles=(writer, reviewer, publisher))
        [task] = queued(services.dispatch_release_task)
        assert task.args_kwargs["args"] == [release.pk]
        assert task.run_after == moment  # not before its moment
        assert len(queued(services.sweep_task)) == 1
        with django_capture_on_commit_callbacks(execute=True):
            workflow.release_unschedule(release=release, user=publisher)
        assert services.dispatch_release(release.pk, now=moment + dt.timedelta(seconds=1)) is None
        assert len(queued(services.sweep_task)) == 1  # one catch-up pass waiting, not one per transition
    finally:
        release_transitioned.disconnect(dispatch_uid="t")
    # Every transition is announced; publish and unschedule are the ones the distribution acts on here.
    assert seen == ["submit", "approve", "publish", "unschedule"]


def test_withdrawing_queues_the_notice_and_a_correction_is_queued_when_published(
    django_capture_on_commit_callbacks, fast_rendering
):
    writer, reviewer, publisher = role_users()
    release = published_release(roles=(writer, reviewer, publisher))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_withdraw(release=release, user=publisher, notice="Sent in error.")
    [task] = queued(services.dispatch_withdrawal_task)
    assert task.args_kwargs["args"] == [release.pk]
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # at once

    other = published_release(headline="Another release to correct", roles=(writer, reviewer, publisher))
    correction = workflow.release_correct(release=other, user=publisher, note="Fixed a figure.")
    correction = workflow.release_edit(
        release=correction,
        user=writer,
        expected_version=correction.version,
        fields={"publication_at": timezone.now() + dt.timedelta(hours=1)},
    )
    workflow.release_submit(release=correction, user=writer)
    factories.approve(correction, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.release_publish(release=correction, user=publisher)
    runs = {(t.args_kwargs["args"][0], t.run_after) for t in queued(services.dispatch_release_task)}
    assert (correction.pk, correction.publication_at) in runs


def test_the_catch_up_pass_queues_the_next_one():
    services.sweep_task.call()
    [next_pass] = queued(services.sweep_task)
    assert next_pass.run_after > timezone.now()
    services.sweep_task.call()
    assert len(queued(services.sweep_task)) == 1


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("smtp://127.0.0.1:2525", "smtp", {"host": "127.0.0.1", "port": 2525, "timeout": 20.0}),
        (
            "smtp://user%40x:p%40ss@mail.example.com:587/?tls=true&timeout=5",
            "smtp",
            {
                "host": "mail.example.com",
                "port": 587,
                "timeout": 5.0,
                "username": "user@x",
                "password": "p@ss",
                "use_tls": True,
            },
        ),
        (
            "smtps://mail.example.com",
            "smtp",
            {"host": "mail.example.com", "port": 465, "timeout": 20.0, "use_ssl": True},
        ),
        ("console://", "console", None),
        ("file:///var/mail/newsroom", "filebased", {"file_path": "/var/mail/newsroom"}),
        ("memory://", "locmem", None),
    ],
)
def test_email_url_becomes_a_mailer(url, backend, options):
    mailer = mailer_from_url(url)
    assert mailer["BACKEND"] == f"django.core.mail.backends.{backend}.EmailBackend"
    assert mailer.get("OPTIONS") == options


def test_an_unknown_email_url_is_refused_in_plain_words():
    with pytest.raises(ImproperlyConfigured, match="unknown scheme 'gopher'"):
        mailer_from_url("gopher://mail.example.com")
