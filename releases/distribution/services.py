"""Every change of subscribers, dispatches, deliveries and webhook endpoints, in one place.

Exactly once, at the moment:

* A release is sent when it is public by `Release.objects.published()`, asked when the work runs, never
  when it is scheduled. The task waits for the moment (`run_after`) and asks again; a sweep catches
  anything whose task was lost.
* A `Dispatch` (unique per release and kind) fixes the recipients in the same transaction that creates
  their `Delivery` rows (unique per release, subscriber and kind). Dispatching twice adds nobody.
* A sender takes one waiting row at a time with `SELECT … FOR UPDATE SKIP LOCKED` (on SQLite an exclusive
  transaction), sends it over SMTP and marks it sent before the transaction commits. Two senders never
  hold the same row; a sender that dies releases its row with its connection, and the row is still
  waiting for the next sender. The gate is part of the claim: a row is only taken while its release is
  public (and not withdrawn, for the release itself).

What no mail system can promise: if a sender dies after the SMTP server accepted a message and before
its row is committed, the message is sent again (at least once rather than never). That window is the
time between the server's "250 OK" and the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import smtplib
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.utils import exclusive_transaction

from ..models import (
    Delivery,
    Dispatch,
    Release,
    Subscriber,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from . import mail, tokens, webhooks

logger = logging.getLogger(__name__)

Kind = Dispatch.Kind
Status = Release.Status
ALL = "all"


# -- subscribers ---------------------------------------------------------------------------------


def consent_text(language: str) -> str:
    """The exact sentence a subscriber agrees to; stored with the subscription, word for word."""
    with translation.override(language):
        return _(
            "I agree to receive press releases by email in the languages and categories I chose. My email "
            "address is used for nothing else, and every message has a link to unsubscribe at once."
        )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def request_subscription(*, email: str, languages: list[str], categories: list[str], language: str):
    """Send a confirmation link to `email`. Nothing is stored: the request travels inside the signed link.

    The same happens whether or not the address is already subscribed (confirming again updates the
    choices), so the answer tells nobody who is on the list. The link is signed, not encrypted: it carries
    nothing its reader should not see (not the address the form was sent from).
    """
    email = normalise_email(email)
    token = tokens.confirm_token(
        {
            "e": email,
            "l": sorted(set(languages)),
            "c": [] if ALL in categories else sorted(set(categories)),
            "lang": language,
            "at": timezone.now().isoformat(),
        }
    )
    send_confirmation_task.enqueue(email, token, language)


def send_confirmation(email: str, token: str, language: str) -> None:
    mail.confirmation_message(email=email, token=token, language=language).send()


def confirm_subscription(*, token: str, ip: str | None) -> Subscriber:
    """Record the consent the link carries; raises signing.BadSignature when the link is wrong or expired."""
    data = tokens.read_confirm_token(token)
    language = data["lang"] if data.get("lang") in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=data["e"]).first()
        if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at:
            requested = dt.datetime.fromisoformat(data["at"])
            if requested <= subscriber.requested_at:
                return subscriber  # an older link used again: the newer choices stay
        subscriber = subscriber or Subscriber(email=data["e"])
        subscriber.set_choices(data["l"], data["c"])
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.consent_text = consent_text(language)
        subscriber.consent_language = language
        subscriber.requested_at = dt.datetime.fromisoformat(data["at"])
        subscriber.confirmed_at = now
        subscriber.confirm_ip = ip
        subscriber.unsubscribed_at = None
        subscriber.full_clean()
        subscriber.save()
    return subscriber


def unsubscribe(*, token: str) -> Subscriber | None:
    """Stop every message to the subscriber the link names; the same answer the second time.

    Returns None when the link names nobody (erased, or a link that was tampered with)."""
    from django.core.signing import BadSignature

    try:
        pk, digest = tokens.read_unsubscribe_token(token)
    except (BadSignature, ValueError, TypeError):
        return None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is None or not tokens.matches(subscriber, digest):
            return None
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return subscriber


def export_subscriber(*, subscriber: Subscriber, user) -> dict:
    """Everything kept about one subscriber (GDPR access request)."""
    if not user.has_perm("releases.export_subscriber"):
        raise PermissionDenied(_("You cannot export subscribers' data: ask an administrator."))
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "languages": subscriber.language_list,
        "categories": subscriber.category_list or [ALL],
        "consent": {
            "text": subscriber.consent_text,
            "language": subscriber.consent_language,
            "asked_at": subscriber.requested_at.isoformat(),
            "confirmed_at": subscriber.confirmed_at.isoformat(),
            "confirmed_from": subscriber.confirm_ip,
        },
        "unsubscribed_at": subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None,
        "messages": [
            {
                "release": d.release.headline,
                "release_url": mail.absolute(d.release.get_absolute_url()),
                "kind": d.kind,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in subscriber.deliveries.select_related("release").order_by("id")
        ],
    }


ERASED = "[erased]"


def erase_subscriber(*, subscriber: Subscriber, user) -> int:
    """Delete the subscriber and the address with it (GDPR erasure); delivery counts stay, anonymous.

    The address goes from everywhere it was kept: the subscriber row, the reasons a mail server gave for
    refusing it (a server's "550 <reader@example.org>: user unknown" names the address) and the work queue,
    which holds each confirmation request with its address until `prune_db_task_results` deletes it.
    Returns the erased subscriber's former id."""
    if not user.has_perm("releases.erase_subscriber"):
        raise PermissionDenied(_("You cannot erase subscribers: ask an administrator."))
    pk, email = subscriber.pk, normalise_email(subscriber.email)
    with transaction.atomic():
        Delivery.objects.filter(subscriber_id=pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error=_("The subscriber was erased."), subscriber=None
        )
        for delivery in Delivery.objects.filter(subscriber_id=pk).exclude(error=""):
            delivery.error = _without_address(delivery.error, email)
            delivery.save(update_fields=["error"])
        Subscriber.objects.filter(pk=pk).delete()  # the other deliveries keep their counts, without a name
        _confirmation_requests(email).delete()
    return pk


def _without_address(text: str, email: str) -> str:
    return re.sub(re.escape(email), ERASED, text, flags=re.IGNORECASE)


def _confirmation_requests(email: str):
    """The queued or finished confirmation tasks that carry `email` (their first argument, normalised)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=send_confirmation_task.module_path, args_kwargs__args__0=email)


# -- dispatches: who receives what -----------------------------------------------------------------


def matching_subscribers(release: Release, *, confirmed_by: dt.datetime):
    """Active subscribers who chose the release's language and category (or every category)."""
    return Subscriber.objects.filter(
        status=Subscriber.Status.ACTIVE,
        confirmed_at__lte=confirmed_by,
        languages__contains=f",{release.language},",
    ).filter(Q(categories="") | Q(categories__contains=f",{release.category},"))


def _create_dispatch(release: Release, kind: str, subscriber_ids: list[int]) -> tuple[Dispatch, bool]:
    """The dispatch and its deliveries, together or not at all; the second caller gets the first's."""
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(release=release, kind=kind, recipients=len(subscriber_ids))
            Delivery.objects.bulk_create(
                [Delivery(dispatch=dispatch, release=release, subscriber_id=pk, kind=kind) for pk in subscriber_ids],
                batch_size=2000,
            )
            return dispatch, True
    except IntegrityError:
        return Dispatch.objects.get(release=release, kind=kind), False


def _start_senders(dispatch: Dispatch, run_after: dt.datetime | None = None) -> None:
    task = send_deliveries_task.using(run_after=run_after) if run_after else send_deliveries_task
    for _n in range(max(1, settings.DISTRIBUTION_SEND_TASKS)):
        task.enqueue(dispatch.pk)


def dispatch_release(release_id: int, now: dt.datetime | None = None) -> Dispatch | None:
    """Send a public release (or correction) to its subscribers and webhooks; nothing before its moment."""
    now = now or timezone.now()
    release = (
        Release.objects.published(now)
        .filter(pk=release_id, status__in=(Status.PUBLISHED, Status.CORRECTED))
        .select_related("company", "corrects", "snapshot")
        .first()
    )
    if release is None:
        waiting = Release.objects.filter(pk=release_id, status=Status.PUBLISHED, publication_at__gt=now).first()
        if waiting is not None:  # woke before the moment (a clock ahead of the database's): wait again
            dispatch_release_task.using(run_after=waiting.publication_at).enqueue(release_id)
        return None
    if release.corrects_id:
        kind, event = Kind.CORRECTION, WebhookEndpoint.Event.CORRECTED
        received = Delivery.objects.filter(
            release_id=release.corrects_id,
            kind__in=(Kind.RELEASE, Kind.CORRECTION),
            status__in=(Delivery.Status.SENT, Delivery.Status.PENDING),
            subscriber__status=Subscriber.Status.ACTIVE,
        )
        ids = list(received.values_list("subscriber_id", flat=True).distinct())
    else:
        kind, event = Kind.RELEASE, WebhookEndpoint.Event.PUBLISHED
        ids = list(matching_subscribers(release, confirmed_by=now).values_list("pk", flat=True))
    dispatch, created = _create_dispatch(release, kind, ids)
    if created:
        queue_webhooks(release, event)
        _start_senders(dispatch)
    return dispatch


def dispatch_withdrawal(release_id: int, now: dt.datetime | None = None) -> Dispatch | None:
    """A short notice to those who received the release; webhooks to endpoints that follow withdrawals."""
    now = now or timezone.now()
    release = (
        Release.objects.filter(pk=release_id, status=Status.WITHDRAWN).select_related("company", "snapshot").first()
    )
    if release is None:
        return None
    # Whatever was still waiting is not sent now. On PostgreSQL this waits for a row being sent at
    # this instant, so that subscriber is counted below among those who received it.
    Delivery.objects.filter(
        release=release, kind__in=(Kind.RELEASE, Kind.CORRECTION), status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.SKIPPED, error=_("The release was withdrawn before this message was sent."))
    ids = list(
        Delivery.objects.filter(
            release=release,
            kind__in=(Kind.RELEASE, Kind.CORRECTION),
            status=Delivery.Status.SENT,
            subscriber__status=Subscriber.Status.ACTIVE,
        )
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
    dispatch, created = _create_dispatch(release, Kind.WITHDRAWAL, ids)
    if created:
        was_public = release.publication_at <= (release.withdrawn_at or now)
        if was_public:
            queue_webhooks(release, WebhookEndpoint.Event.WITHDRAWN)
        if ids:
            _start_senders(dispatch)
    return dispatch


# -- sending email ---------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retrying: int = 0

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "skipped": self.skipped, "retrying": self.retrying}


def _gate(kind: str, now: dt.datetime):
    """The releases whose deliveries of `kind` may go out now: public, and not withdrawn unless a notice."""
    public = Release.objects.published(now)
    if kind == Kind.WITHDRAWAL:
        return public.filter(status=Status.WITHDRAWN)
    return public.exclude(status=Status.WITHDRAWN)


def _smtp_failure(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason) for a failed send."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        detail = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        )
        return all(code >= 500 for code in codes), _("The mail server refused the address: %(detail)s") % {
            "detail": detail
        }
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return exc.smtp_code >= 500, _("The mail server answered %(code)s %(message)s") % {
            "code": exc.smtp_code,
            "message": message,
        }
    if isinstance(exc, ValueError):
        return True, _("The address cannot be written in an email: %(error)s") % {"error": exc}
    return False, _("The mail server could not be reached: %(error)s") % {"error": exc or type(exc).__name__}


GATE_RECHECK_SECONDS = 1.0


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(60 * 2 ** (attempts - 1), 3600))


def send_deliveries(dispatch_id: int, *, limit: int | None = None) -> SendReport:
    """Send the dispatch's waiting messages, one claimed row at a time, until none is left (or `limit`)."""
    report = SendReport()
    dispatch = Dispatch.objects.select_related("release__company", "release__snapshot", "release__corrects").get(
        pk=dispatch_id
    )
    template = None
    connection = mailers.default
    gate_checked = -GATE_RECHECK_SECONDS
    try:
        while limit is None or report.sent + report.failed + report.skipped + report.retrying < limit:
            now = timezone.now()
            # The gate, asked again at least every GATE_RECHECK_SECONDS while sending: a release withdrawn
            # in the middle of a batch stops going out within that time (its waiting rows are then skipped).
            if time.monotonic() - gate_checked >= GATE_RECHECK_SECONDS:
                if not _gate(dispatch.kind, now).filter(pk=dispatch.release_id).exists():
                    break
                gate_checked = time.monotonic()
            with exclusive_transaction():
                delivery = (
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("subscriber")
                    .filter(dispatch_id=dispatch_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
                    .order_by("id")
                    .first()
                )
                if delivery is None:
                    break
                subscriber = delivery.subscriber
                if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
                    delivery.status = Delivery.Status.SKIPPED
                    delivery.error = _("The subscriber unsubscribed before this message was sent.")
                    delivery.save(update_fields=["status", "error"])
                    report.skipped += 1
                    continue
                if template is None:
                    template = mail.release_template(dispatch.release, dispatch.kind)
                message = template.build(subscriber=subscriber, delivery_id=delivery.pk)
                delivery.attempts += 1
                try:
                    connection.open()
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError, ValueError) as exc:
                    permanent, reason = _smtp_failure(exc)
                    connection.close()
                    delivery.error = reason
                    if permanent or delivery.attempts >= settings.DISTRIBUTION_MAX_ATTEMPTS:
                        delivery.status = Delivery.Status.FAILED
                        report.failed += 1
                    else:
                        delivery.next_attempt_at = now + _retry_delay(delivery.attempts)
                        report.retrying += 1
                    delivery.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
                    continue
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
                delivery.message_id = message.extra_headers["Message-ID"]
                delivery.error = ""
                delivery.save(update_fields=["status", "sent_at", "message_id", "error", "attempts"])
                report.sent += 1
    finally:
        connection.close()
    later = Delivery.objects.filter(dispatch_id=dispatch_id, status=Delivery.Status.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if later is not None and later > timezone.now() and limit is None:
        send_deliveries_task.using(run_after=later).enqueue(dispatch_id)
    return report


# -- webhooks --------------------------------------------------------------------------------------


def endpoints_for(event: str):
    return [e for e in WebhookEndpoint.objects.filter(active=True).order_by("id") if event in (e.events or [])]


def queue_webhooks(release: Release, event: str) -> list[WebhookDelivery]:
    """One delivery per endpoint following `event`, in the order events happen; sent by `deliver_endpoint`."""
    body = webhooks.payload(event, webhooks.release_data(release))
    queued = []
    for endpoint in endpoints_for(event):
        try:
            with transaction.atomic():
                queued.append(
                    WebhookDelivery.objects.create(
                        endpoint=endpoint, release=release, event=event, message_id=_message_id(), payload=body
                    )
                )
        except IntegrityError:
            continue  # already queued for this endpoint
        deliver_webhooks_task.enqueue(endpoint.pk)
    return queued


def _message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def send_test_event(*, endpoint: WebhookEndpoint, user) -> WebhookDelivery:
    """Queue a `webhook.test` event for `endpoint` (the admin's "Send a test event")."""
    if not user.has_perm("releases.change_webhookendpoint"):
        raise PermissionDenied(_("You cannot send test events: ask for the Publisher role."))
    body = webhooks.payload(
        WebhookEndpoint.TEST_EVENT,
        {
            "endpoint": endpoint.url,
            "message": "A test event sent from the newsroom's admin.",
            "by": user.get_username(),
        },
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, release=None, event=WebhookEndpoint.TEST_EVENT, message_id=_message_id(), payload=body
    )
    deliver_webhooks_task.enqueue(endpoint.pk)
    return delivery


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: the first wait, then twice as long after every failure."""
    return dt.timedelta(seconds=settings.WEBHOOK_RETRY_FIRST_SECONDS * 2 ** (attempts - 1))


def deliver_endpoint(endpoint_id: int, *, now_func=timezone.now) -> dict:
    """Deliver `endpoint`'s waiting events in the order they were queued.

    One sender per endpoint at a time (the endpoint row is locked while it sends); an event that fails
    waits for its retry and holds back the ones after it, so the receiver sees them in order. After
    `WEBHOOK_RETRY_FOR_SECONDS` an event is given up (failed) and the next one goes.
    """
    counts = {"delivered": 0, "failed": 0, "retrying": 0}
    while True:
        with exclusive_transaction():
            endpoint = WebhookEndpoint.objects.select_for_update(skip_locked=True).filter(pk=endpoint_id).first()
            if endpoint is None:
                return counts  # deleted, or another worker is sending to it right now
            head = endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).order_by("id").first()
            if head is None:
                return counts
            now = now_func()
            if head.next_attempt_at > now:
                deliver_webhooks_task.using(run_after=head.next_attempt_at).enqueue(endpoint_id)
                return counts
            if not endpoint.active:
                head.status = WebhookDelivery.Status.FAILED
                head.last_error = _("The endpoint was switched off.")
                head.save(update_fields=["status", "last_error"])
                counts["failed"] += 1
                continue
            outcome = webhooks.post(
                endpoint.url, head.payload, webhooks.signed_headers(endpoint, head.message_id, head.payload, now)
            )
            WebhookAttempt.objects.create(
                delivery=head,
                at=now,
                status_code=outcome.status_code,
                error=outcome.error,
                response_excerpt=outcome.response_excerpt,
                duration_ms=outcome.duration_ms,
            )
            head.attempts += 1
            head.last_status_code = outcome.status_code
            head.last_error = outcome.error
            if outcome.ok:
                head.status = WebhookDelivery.Status.SUCCEEDED
                head.delivered_at = now_func()
                head.save()
                counts["delivered"] += 1
                continue
            next_at = now + retry_delay(head.attempts)
            if next_at > head.created_at + dt.timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS):
                head.status = WebhookDelivery.Status.FAILED
                head.save()
                counts["failed"] += 1
                continue
            head.next_attempt_at = next_at
            head.save()
            counts["retrying"] += 1
        deliver_webhooks_task.using(run_after=next_at).enqueue(endpoint_id)
        return counts


def redeliver(*, delivery: WebhookDelivery, user) -> WebhookDelivery:
    """Queue a failed webhook delivery again, as a new message with the same body."""
    if not user.has_perm("releases.change_webhookendpoint"):
        raise PermissionDenied(_("You cannot resend webhooks: ask for the Publisher role."))
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.created_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at", "created_at"])
    deliver_webhooks_task.enqueue(delivery.endpoint_id)
    return delivery


# -- the catch-up pass ------------------------------------------------------------------------------


def sweep(now: dt.datetime | None = None) -> dict:
    """Start whatever should have started: releases public in the last hours that were never dispatched,
    withdrawals never notified, messages and webhooks left waiting by a lost task or a dead worker."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=settings.DISTRIBUTION_SWEEP_WINDOW_HOURS)
    stale = now - dt.timedelta(seconds=settings.DISTRIBUTION_SWEEP_SECONDS)
    done = {"dispatched": 0, "withdrawals": 0, "senders": 0, "endpoints": 0}
    undispatched = (
        Release.objects.published(now)
        .filter(status__in=(Status.PUBLISHED, Status.CORRECTED), publication_at__gte=since)
        .exclude(dispatches__kind__in=(Kind.RELEASE, Kind.CORRECTION))
    )
    for pk in undispatched.values_list("pk", flat=True):
        if dispatch_release(pk, now) is not None:
            done["dispatched"] += 1
    unnotified = Release.objects.filter(status=Status.WITHDRAWN, withdrawn_at__gte=since).exclude(
        dispatches__kind=Kind.WITHDRAWAL
    )
    for pk in unnotified.values_list("pk", flat=True):
        if dispatch_withdrawal(pk, now) is not None:
            done["withdrawals"] += 1
    waiting = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=stale)
        .values_list("dispatch_id", flat=True)
        .distinct()
    )
    for dispatch_id in waiting:
        send_deliveries_task.enqueue(dispatch_id)
        done["senders"] += 1
    for endpoint_id in (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=stale)
        .values_list("endpoint_id", flat=True)
        .distinct()
    ):
        deliver_webhooks_task.enqueue(endpoint_id)
        done["endpoints"] += 1
    return done


# -- reacting to the workflow ---------------------------------------------------------------------


def on_transition(*, release: Release, transition: str) -> None:
    """Queue the work a committed transition calls for (the tasks decide again when they run)."""
    if transition not in ("publish", "withdraw", "corrected", "unschedule"):
        return
    if transition == "publish":
        moment = release.publication_at
        task = dispatch_release_task
        if moment and moment > timezone.now():
            task = task.using(run_after=moment)
        task.enqueue(release.pk)
    elif transition == "withdraw":
        dispatch_withdrawal_task.enqueue(release.pk)
    elif transition == "corrected":
        correction = Release.objects.filter(corrects_id=release.pk, status=Status.PUBLISHED).first()
        if correction is not None and correction.publication_at and correction.publication_at > timezone.now():
            dispatch_release_task.using(run_after=correction.publication_at).enqueue(correction.pk)
    # "unschedule": nothing to cancel; the queued dispatch finds the release no longer published.
    schedule_sweep()


def schedule_sweep(delay: float | None = None) -> None:
    """Keep one catch-up pass queued (the pass queues the next one when it has run)."""
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    delay = settings.DISTRIBUTION_SWEEP_SECONDS if delay is None else delay
    backend = task_backends[sweep_task.backend]
    queued = DBTaskResult.objects.filter(status="READY", task_path=sweep_task.module_path)
    if isinstance(backend, DatabaseBackend) and queued.exists():
        return
    sweep_task.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue()


# -- the admin's panel for one release -------------------------------------------------------------


def panel(release: Release) -> dict:
    """How a release went out: per kind, how many were sent, are waiting, failed (and why), were not sent."""
    rows = []
    for dispatch in Dispatch.objects.filter(release=release).order_by("created_at", "id"):
        counts = dict(dispatch.deliveries.values_list("status").annotate(n=Count("id")))
        reasons = list(
            dispatch.deliveries.filter(status__in=(Delivery.Status.FAILED, Delivery.Status.SKIPPED))
            .values("status", "error")
            .annotate(n=Count("id"))
            .order_by("-n")[:5]
        )
        rows.append(
            {
                "dispatch": dispatch,
                "kind": dispatch.get_kind_display(),
                "recipients": dispatch.recipients,
                "sent": counts.get(Delivery.Status.SENT, 0),
                "pending": counts.get(Delivery.Status.PENDING, 0),
                "failed": counts.get(Delivery.Status.FAILED, 0),
                "skipped": counts.get(Delivery.Status.SKIPPED, 0),
                "reasons": reasons,
            }
        )
    hooks = WebhookDelivery.objects.filter(release=release).select_related("endpoint").order_by("id")
    return {"release": release, "dispatches": rows, "webhooks": list(hooks), "is_public": release.is_public}


def email_digest(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


# -- the tasks: the work above, run outside the request by `manage.py db_worker` (django-tasks-db) -------
# Each re-reads what it needs and decides again when it runs: a dispatch queued for a release's moment
# finds out then whether the release is public.


@task
def send_confirmation_task(email: str, token: str, language: str) -> None:
    send_confirmation(email, token, language)


@task
def dispatch_release_task(release_id: int) -> int | None:
    dispatch = dispatch_release(release_id)
    return dispatch.pk if dispatch else None


@task
def dispatch_withdrawal_task(release_id: int) -> int | None:
    dispatch = dispatch_withdrawal(release_id)
    return dispatch.pk if dispatch else None


@task
def send_deliveries_task(dispatch_id: int) -> dict:
    return send_deliveries(dispatch_id).as_dict()


@task
def deliver_webhooks_task(endpoint_id: int) -> dict:
    return deliver_endpoint(endpoint_id)


@task
def sweep_task() -> dict:
    """The catch-up pass; it queues the next one, so one is always waiting."""
    try:
        return sweep()
    finally:
        schedule_sweep()
