"""Email alerts through a real SMTP server (aiosmtpd on loopback): what each subscriber receives, when.

The sending code runs in this process here (the worker processes are in test_distribution_worker.py);
time-machine moves the clock the publication gate reads across the release's moment.
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from releases import services as workflow
from releases.distribution import services
from releases.models import Delivery, Dispatch, Release, Subscriber
from tests import factories
from tests.distribution_support import (
    Inbox,
    SMTPServer,
    links,
    path_of,
    published_release,
    role_users,
    subscriber,
    use_smtp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings):
    box = Inbox()
    with SMTPServer(box) as server:
        use_smtp(settings, server)
        yield box


@pytest.fixture
def roles(db):
    return role_users()


def send_all(release_id: int, kind=Dispatch.Kind.RELEASE):
    dispatch = Dispatch.objects.get(release_id=release_id, kind=kind)
    return services.send_deliveries(dispatch.pk)


def test_nothing_before_the_moment_then_one_message_each_with_both_parts_and_working_links(
    inbox, roles, fast_rendering
):
    start = timezone.now().replace(microsecond=0)
    moment = start + dt.timedelta(hours=2)
    subscriber("alice@example.org", languages=("en",))
    subscriber("bob@example.org", languages=("en", "fr"), categories=("non_regulated",))
    subscriber("claire@example.org", languages=("fr",))  # French only: not this English release
    subscriber("dan@example.org", languages=("en",), categories=("regulated",))  # another category
    other = published_release(headline="Another company reports something else entirely", roles=roles)
    release = published_release(moment=moment, headline="Acme Biotech starts its Phase 3 trial", roles=roles)

    with time_machine.travel(moment - dt.timedelta(seconds=1), tick=False):
        assert services.dispatch_release(release.pk) is None  # the gate: not public yet
        assert not Dispatch.objects.filter(release=release).exists()
        anonymous = Client()
        assert anonymous.get(release.get_absolute_url()).status_code == 404
    assert inbox.count() == 0

    with time_machine.travel(moment, tick=False):
        dispatch = services.dispatch_release(release.pk)
        assert dispatch.recipients == 2
        report = services.send_deliveries(dispatch.pk)
        assert report.sent == 2

        received = {r.to: r for r in inbox.received}
        assert set(received) == {"alice@example.org", "bob@example.org"}
        message = received["alice@example.org"]
        assert message.message["Subject"] == "Acme Biotech starts its Phase 3 trial"
        assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = message.message["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith("http://127.0.0.1:8000/alerts/unsubscribe/")
        assert message.message["Message-ID"].startswith("<delivery-")
        assert message.message.get_content_type() == "multipart/alternative"
        # Both parts from the frozen snapshot, and nothing of the other release.
        # (SMTP ends lines in CRLF.)
        assert release.snapshot.plain_text in message.text.replace("\r\n", "\n")
        assert release.snapshot.fragment_html in message.html.replace("\r\n", "\n")
        assert other.headline not in message.text + message.html
        page, pdf = (
            "http://127.0.0.1:8000" + release.get_absolute_url(),
            "http://127.0.0.1:8000" + release.get_pdf_url(),
        )
        assert page in links(message.text) and pdf in links(message.text)
        assert f'href="{page}"' in message.html and f'href="{pdf}"' in message.html
        assert unsubscribe in message.text and unsubscribe in message.html
        # The links work: the page, the PDF, and the unsubscribe page (a GET only shows the button).
        for url in (page, pdf, unsubscribe):
            assert anonymous.get(path_of(url)).status_code == 200, url
        assert Subscriber.objects.get(email="alice@example.org").status == Subscriber.Status.ACTIVE
        # Each subscriber got their own unsubscribe link.
        assert received["bob@example.org"].message["List-Unsubscribe"] != message.message["List-Unsubscribe"]

        # Dispatching or sending again sends nothing more.
        services.dispatch_release(release.pk)
        assert services.send_deliveries(dispatch.pk).sent == 0
    assert inbox.count() == 2
    assert set(Delivery.objects.filter(release=release).values_list("status", flat=True)) == {"sent"}


def test_one_click_unsubscribe_is_a_csrf_free_idempotent_post(inbox, roles, fast_rendering):
    alice = subscriber("alice@example.org")
    release = published_release(roles=roles)
    services.dispatch_release(release.pk)
    send_all(release.pk)
    url = inbox.to("alice@example.org")[0].message["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)  # a mail client has no cookie and no CSRF token
    for _ in range(2):
        response = mail_client.post(path_of(url), data="List-Unsubscribe=One-Click", content_type="text/plain")
        assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.status == Subscriber.Status.UNSUBSCRIBED
    # A tampered link names nobody.
    assert mail_client.post(path_of(url)[:-3] + "xx/").status_code == 404

    later = published_release(headline="A later release for those still subscribed", roles=roles)
    services.dispatch_release(later.pk)
    send_all(later.pk)
    assert len(inbox.to("alice@example.org")) == 1


def test_correction_goes_to_those_who_received_the_original(inbox, roles, fast_rendering):
    writer, reviewer, publisher = roles
    subscriber("early@example.org")
    release = published_release(roles=roles)
    services.dispatch_release(release.pk)
    send_all(release.pk)
    subscriber("late@example.org", confirmed_at=timezone.now())  # joined after the original went out

    correction = workflow.release_correct(release=release, user=publisher, note="The trial starts in 2026.")
    correction = workflow.release_edit(
        release=correction,
        user=writer,
        expected_version=correction.version,
        fields={
            "publication_at": timezone.now() - dt.timedelta(seconds=1),
            "body": "<p>Acme Biotech expects to start Phase 3 in 2026 (1).</p>",
        },
    )
    workflow.release_submit(release=correction, user=writer)
    factories.approve(correction, reviewer)
    workflow.release_publish(release=correction, user=publisher)

    dispatch = services.dispatch_release(correction.pk)
    assert dispatch.kind == Dispatch.Kind.CORRECTION
    services.send_deliveries(dispatch.pk)
    early = inbox.to("early@example.org")
    assert [m.message["X-Newsroom-Kind"] for m in early] == ["release", "correction"]
    assert early[1].message["Subject"].startswith("Correction: ")
    assert "http://127.0.0.1:8000" + release.get_absolute_url() in early[1].text  # the earlier version
    assert inbox.to("late@example.org") == []


def test_withdrawal_sends_a_short_notice_to_recipients_only_and_stops_what_was_waiting(inbox, roles, fast_rendering):
    publisher = roles[2]
    subscriber("got-it@example.org")
    subscriber("waiting@example.org")
    release = published_release(roles=roles)
    dispatch = services.dispatch_release(release.pk)
    assert services.send_deliveries(dispatch.pk, limit=1).sent == 1  # one went out, one still waiting
    first = inbox.received[0].to

    workflow.release_withdraw(release=release, user=publisher, notice="Published by mistake.")
    # The waiting message is not sent now that the release is withdrawn.
    assert services.send_deliveries(dispatch.pk).sent == 0
    notice = services.dispatch_withdrawal(release.pk)
    assert notice.recipients == 1
    services.send_deliveries(notice.pk)

    assert [r.to for r in inbox.received] == [first, first]
    withdrawal = inbox.received[1]
    assert withdrawal.message["Subject"] == f"Withdrawn: {release.headline}"
    assert "Published by mistake." in withdrawal.text and "Published by mistake." in withdrawal.html
    assert release.snapshot.fragment_html not in withdrawal.html
    statuses = dict(Delivery.objects.filter(dispatch=dispatch).values_list("subscriber__email", "status"))
    assert sorted(statuses.values()) == ["sent", "skipped"]


def test_unscheduled_before_its_moment_sends_nothing(inbox, roles, fast_rendering):
    publisher = roles[2]
    subscriber("alice@example.org")
    moment = timezone.now() + dt.timedelta(hours=1)
    release = published_release(moment=moment, roles=roles)
    workflow.release_unschedule(release=release, user=publisher)
    with time_machine.travel(moment + dt.timedelta(minutes=5), tick=False):
        assert services.dispatch_release(release.pk) is None
        assert services.sweep()["dispatched"] == 0
    assert inbox.count() == 0
    assert Release.objects.get(pk=release.pk).status == Release.Status.APPROVED


def test_refused_address_fails_with_its_reason_and_the_panel_counts_it(inbox, roles, fast_rendering):
    subscriber("ok@example.org")
    subscriber("gone@example.org")
    inbox.refuse_rcpt.add("gone@example.org")
    release = published_release(roles=roles)
    dispatch = services.dispatch_release(release.pk)
    report = services.send_deliveries(dispatch.pk)
    assert (report.sent, report.failed) == (1, 1)
    failed = Delivery.objects.get(dispatch=dispatch, status="failed")
    assert "550" in failed.error and "No such mailbox" in failed.error

    panel = services.panel(release)
    row = panel["dispatches"][0]
    assert (row["recipients"], row["sent"], row["failed"], row["pending"]) == (2, 1, 1, 0)
    assert "550" in row["reasons"][0]["error"]


def test_mail_server_down_keeps_the_message_waiting_for_a_retry(settings, roles, fast_rendering):
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILERS = {"default": {"BACKEND": smtp, "OPTIONS": {"host": "127.0.0.1", "port": 1}}}  # nobody there
    subscriber("alice@example.org")
    release = published_release(roles=roles)
    dispatch = services.dispatch_release(release.pk)
    report = services.send_deliveries(dispatch.pk)
    assert report.retrying == 1
    delivery = Delivery.objects.get(dispatch=dispatch)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    assert "could not be reached" in delivery.error


def test_a_subscriber_who_unsubscribes_after_the_dispatch_is_skipped(inbox, roles, fast_rendering):
    alice = subscriber("alice@example.org")
    release = published_release(roles=roles)
    dispatch = services.dispatch_release(release.pk)
    alice.status = Subscriber.Status.UNSUBSCRIBED
    alice.save()
    assert services.send_deliveries(dispatch.pk).skipped == 1
    assert inbox.count() == 0


def test_the_sweep_dispatches_what_a_lost_task_left(inbox, roles, fast_rendering, settings):
    settings.DISTRIBUTION_SWEEP_SECONDS = 0
    subscriber("alice@example.org")
    release = published_release(roles=roles)  # no worker ran: nothing was dispatched
    done = services.sweep()
    assert done["dispatched"] == 1
    send_all(release.pk)
    assert len(inbox.to("alice@example.org")) == 1
    # An old release (outside the window) is not sent to today's subscribers.
    old = published_release(moment=timezone.now() - dt.timedelta(days=30), roles=roles)
    assert services.sweep()["dispatched"] == 0
    assert not Dispatch.objects.filter(release=old).exists()
