"""Webhooks: the JSON payload built from the frozen snapshot, its Standard Webhooks signature, and the
outbound request, which never reaches the inside of the network.

Signature (https://www.standardwebhooks.com/): `webhook-id` (stable across retries, so the receiver can
drop duplicates), `webhook-timestamp` (seconds, the time of this attempt) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the endpoint's `whsec_` secret.

The request goes through requests-hardened: the host name is resolved when the connection is made, the
address is checked (private, loopback, link-local, multicast and other special ranges are refused unless
`WEBHOOK_ALLOW_LOOPBACK` lets loopback through) and the connection goes to that very address, so a DNS
answer that changes between check and connect cannot reach the inside. Redirects are never followed,
the whole request takes at most `WEBHOOK_TIMEOUT` seconds (a receiver that answers a byte at a time is cut
off then, not after each silence) and no more than `WEBHOOK_MAX_RESPONSE_BYTES` of the answer is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils import timezone
from requests_hardened import Config, Manager
from standardwebhooks.webhooks import Webhook

from ..models import Release, WebhookEndpoint
from .mail import absolute

USER_AGENT = "Newsroom-Webhooks/1.0"


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def release_data(release: Release) -> dict:
    """What an integrator needs about a release, from the snapshot that went out."""
    data = {
        "id": release.pk,
        "language": release.language,
        "category": release.category,
        "status": release.status,
        "headline": release.headline,
        "company": {"id": release.company_id, "name": release.company.short_name, "slug": release.company.slug},
        "publication_at": _iso(release.publication_at),
        "url": absolute(release.get_absolute_url()),
        "translation_group": str(release.translation_group),
    }
    if release.status == Release.Status.WITHDRAWN:
        data["withdrawal_notice"] = release.withdrawal_notice
        data["withdrawn_at"] = _iso(release.withdrawn_at)
        return data
    snapshot = release.snapshot
    data["pdf_url"] = absolute(release.get_pdf_url())
    data["content"] = snapshot.content_json
    data["sha256"] = {"content": snapshot.content_sha256, "pdf": snapshot.pdf_sha256, "text": snapshot.text_sha256}
    if release.corrects_id:
        data["corrects"] = {
            "id": release.corrects_id,
            "url": absolute(release.corrects.get_absolute_url()),
            "note": release.correction_note,
        }
    return data


def payload(event: str, data: dict, at: dt.datetime | None = None) -> str:
    """The body, serialised once and stored: every retry signs and sends the same bytes."""
    body = {"type": event, "timestamp": _iso(at or timezone.now()), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def sign(secret: str, message_id: str, timestamp: dt.datetime, body: str) -> str:
    return Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)


def signed_headers(endpoint: WebhookEndpoint, message_id: str, body: str, now: dt.datetime | None = None) -> dict:
    now = (now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sign(endpoint.secret, message_id, now, body),
    }


@dataclass
class Outcome:
    ok: bool
    status_code: int | None
    error: str
    response_excerpt: str
    duration_ms: int


def _manager() -> Manager:
    return Manager(
        Config(
            ip_filter_enable=True,
            ip_filter_allow_loopback_ips=settings.WEBHOOK_ALLOW_LOOPBACK,
            never_redirect=True,
            default_timeout=(settings.WEBHOOK_TIMEOUT, settings.WEBHOOK_TIMEOUT),
            user_agent_override=USER_AGENT,
        )
    )


class Deadline:
    """Cuts the request's connections when `seconds` have passed, whatever it is doing then.

    requests' timeouts bound each wait for the network, not the request: a receiver that sends its answer
    a byte every few seconds would hold the worker (and the endpoint's lock) for hours. A watcher thread
    shuts the sockets down at the deadline, which ends any read in progress with an error.
    """

    POLL = 0.05

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._done = threading.Event()
        self._connections: list = []

    def watch(self, session) -> None:
        """Have the session's connection pools report each connection they open."""
        for adapter in session.adapters.values():
            manager = adapter.poolmanager
            manager.pool_classes_by_scheme = {
                scheme: self._reporting(pool) for scheme, pool in manager.pool_classes_by_scheme.items()
            }

    def _reporting(self, pool_class):
        connections = self._connections

        class Reporting(pool_class):
            def _new_conn(self):
                connection = super()._new_conn()
                connections.append(connection)
                return connection

        return Reporting

    def _cut(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired = True
        while not self._done.is_set():  # a connection still being opened is cut as soon as it has a socket
            for connection in list(self._connections):
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    with contextlib.suppress(OSError):  # already closed
                        sock.shutdown(socket.SHUT_RDWR)
            self._done.wait(self.POLL)

    def __enter__(self) -> Deadline:
        threading.Thread(target=self._cut, name="webhook-deadline", daemon=True).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()


def post(url: str, body: str, headers: dict) -> Outcome:
    """POST `body` to `url`; a 2xx answer is a success, anything else (a redirect too) is a failure.

    The whole exchange lasts at most WEBHOOK_TIMEOUT seconds: an answer whose status and headers came in time
    but whose body did not is judged by its status."""
    started = time.monotonic()
    cap = settings.WEBHOOK_MAX_RESPONSE_BYTES

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    deadline = Deadline(settings.WEBHOOK_TIMEOUT)
    try:
        with deadline, _manager().get_session() as session:
            deadline.watch(session)
            session.trust_env = False  # no proxy from the environment: the checked address is the one reached
            response = session.post(url, data=body.encode(), headers=headers, stream=True)
            if deadline.expired:  # cut while the status or the headers came in: they may be incomplete
                response.close()
                raise requests.Timeout
            received = b""
            try:
                for chunk in response.iter_content(8192):
                    received += chunk
                    if len(received) > cap:
                        received = received[:cap]
                        break
            except requests.RequestException:
                if not deadline.expired:
                    raise
            finally:
                response.close()
    except requests.RequestException as exc:
        if deadline.expired:
            return Outcome(False, None, f"No answer within {settings.WEBHOOK_TIMEOUT:g} seconds.", "", took())
        return Outcome(False, None, describe_error(exc), "", took())
    excerpt = received[:2000].decode("utf-8", "replace")
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code, "", excerpt, took())
    if 300 <= response.status_code < 400:
        error = f"The endpoint answered with a redirect ({response.status_code}); redirects are not followed."
    else:
        error = f"The endpoint answered {response.status_code} {response.reason or ''}".strip() + "."
    return Outcome(False, response.status_code, error, excerpt, took())


def describe_error(exc: Exception) -> str:
    """A plain sentence for the delivery log."""
    from requests_hardened.ip_filter import InvalidIPAddress

    if isinstance(exc, InvalidIPAddress):
        return (
            f"Refused: the address resolves to {exc.args[0]}, a private, loopback or link-local address "
            "that webhooks may not reach."
        )
    if isinstance(exc, requests.Timeout):
        return f"No answer within {settings.WEBHOOK_TIMEOUT:g} seconds."
    if isinstance(exc, requests.ConnectionError):
        return f"Could not connect: {exc}"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return f"The URL is not valid: {exc}"
    return f"The request failed: {exc}"
