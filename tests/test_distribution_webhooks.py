"""Webhooks against a real HTTP receiver on loopback: Standard Webhooks signatures, retries, order, the
refusal of inside addresses, redirects and oversized answers, and the admin's "Send a test event"."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import time

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from releases import services as workflow
from releases.distribution import services
from releases.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.distribution_support import Receiver, published_release, role_users

pytestmark = pytest.mark.django_db

ALL_EVENTS = [e.value for e in WebhookEndpoint.Event]


@pytest.fixture
def allow_loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True  # the receiver runs on 127.0.0.1


@pytest.fixture
def roles(db):
    return role_users()


def independent_signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """The Standard Webhooks signature computed from the spec, not from the library we sign with."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def deliver(endpoint):
    return services.deliver_endpoint(endpoint.pk)


def test_a_published_release_is_delivered_signed_with_its_snapshot(allow_loopback, roles, fast_rendering):
    with Receiver() as receiver:
        endpoint = WebhookEndpoint.objects.create(url=receiver.url(), events=ALL_EVENTS, description="IR website")
        assert endpoint.secret.startswith("whsec_")
        release = published_release(roles=roles)
        services.dispatch_release(release.pk)
        assert deliver(endpoint) == {"delivered": 1, "failed": 0, "retrying": 0}

    [hit] = receiver.hits
    headers = hit.headers
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"].startswith("msg_")
    expected = independent_signature(endpoint.secret, headers["webhook-id"], headers["webhook-timestamp"], hit.body)
    assert headers["webhook-signature"] == expected
    payload = Webhook(endpoint.secret).verify(hit.body, headers)  # and the reference library agrees
    assert payload["type"] == "release.published"
    data = payload["data"]
    assert data["id"] == release.pk and data["headline"] == release.headline
    assert data["content"] == release.snapshot.content_json
    assert data["url"] == "http://127.0.0.1:8000" + release.get_absolute_url()
    assert data["pdf_url"] == "http://127.0.0.1:8000" + release.get_pdf_url()
    assert data["sha256"]["pdf"] == release.snapshot.pdf_sha256
    # A wrong secret does not verify.
    with pytest.raises(Exception, match="No matching signature"):
        Webhook("whsec_" + base64.b64encode(b"another secret").decode()).verify(hit.body, headers)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.attempts == 1 and delivery.last_status_code == 200


def test_loopback_is_refused_unless_allowed(roles, fast_rendering, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with Receiver() as receiver:
        endpoints = [
            WebhookEndpoint.objects.create(url=receiver.url(host=host), events=ALL_EVENTS)
            for host in ("127.0.0.1", "localhost", "[::1]")
        ]
        release = published_release(roles=roles)
        services.dispatch_release(release.pk)
        for endpoint in endpoints:
            assert deliver(endpoint)["retrying"] == 1
    assert receiver.hits == []
    for attempt in WebhookAttempt.objects.all():
        assert attempt.status_code is None
        assert "private, loopback or link-local" in attempt.error or "Could not connect" in attempt.error
    refused = WebhookAttempt.objects.filter(error__contains="private, loopback or link-local").count()
    assert refused >= 2  # 127.0.0.1 and localhost resolve to loopback; ::1 may be unconfigured here


def test_private_and_link_local_addresses_are_refused_even_when_loopback_is_allowed(allow_loopback):
    for url in ("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://192.168.1.1/"):
        outcome = services.webhooks.post(url, "{}", {"content-type": "application/json"})
        assert not outcome.ok
        assert "private, loopback or link-local" in outcome.error, url


def test_retries_with_backoff_then_success_and_order_is_kept(allow_loopback, roles, fast_rendering, settings):
    settings.WEBHOOK_RETRY_FIRST_SECONDS = 30
    publisher = roles[2]
    failing = [(500, {}, b"down for maintenance"), (503, {}, b"still down")]
    with Receiver(failing) as receiver:
        endpoint = WebhookEndpoint.objects.create(url=receiver.url(), events=ALL_EVENTS)
        release = published_release(roles=roles)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            services.dispatch_release(release.pk)
            workflow.release_withdraw(release=release, user=publisher, notice="Sent in error.")
            services.dispatch_withdrawal(release.pk)
            assert deliver(endpoint) == {"delivered": 0, "failed": 0, "retrying": 1}
        first, second = WebhookDelivery.objects.order_by("id")
        assert (first.event, second.event) == ("release.published", "release.withdrawn")
        assert first.next_attempt_at == start + dt.timedelta(seconds=30)
        # Before the wait is over nothing is sent, and the later event waits behind the earlier one.
        with time_machine.travel(start + dt.timedelta(seconds=29), tick=False):
            assert deliver(endpoint) == {"delivered": 0, "failed": 0, "retrying": 0}
        with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
            assert deliver(endpoint)["retrying"] == 1
        first.refresh_from_db()
        assert first.next_attempt_at == start + dt.timedelta(seconds=30 + 60)  # twice as long
        with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
            assert deliver(endpoint) == {"delivered": 2, "failed": 0, "retrying": 0}

    events = [json.loads(hit.body)["type"] for hit in receiver.hits]
    assert events == ["release.published", "release.published", "release.published", "release.withdrawn"]
    ids = [hit.headers["webhook-id"] for hit in receiver.hits]
    assert len(set(ids[:3])) == 1  # one message id across the retries: the receiver can drop repeats
    withdrawn = json.loads(receiver.hits[-1].body)["data"]
    assert withdrawn["withdrawal_notice"] == "Sent in error." and "content" not in withdrawn
    attempts = list(WebhookAttempt.objects.filter(delivery=first).order_by("at").values_list("status_code", "error"))
    assert attempts[0] == (500, "The endpoint answered 500 Internal Server Error.")
    assert attempts[2][0] == 200


def test_an_event_is_given_up_after_a_day_and_the_next_one_goes(allow_loopback, roles, fast_rendering, settings):
    settings.WEBHOOK_RETRY_FIRST_SECONDS = 3600
    with Receiver([(500, {}, b"")] * 5) as receiver:
        endpoint = WebhookEndpoint.objects.create(url=receiver.url(), events=ALL_EVENTS)
        release = published_release(roles=roles)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            services.dispatch_release(release.pk)
            services.send_test_event(endpoint=endpoint, user=roles[2])
        moment = start
        for _ in range(5):
            with time_machine.travel(moment, tick=False):
                deliver(endpoint)
            moment = WebhookDelivery.objects.order_by("id").first().next_attempt_at
        first, test_event = WebhookDelivery.objects.order_by("id")
        assert first.status == "failed" and first.attempts == 5  # waits 1 h, 2 h, 4 h, 8 h; 16 h more is past a day
        assert test_event.status == "succeeded"
    assert json.loads(receiver.hits[-1].body)["type"] == "webhook.test"


def test_redirects_are_not_followed_and_answers_are_capped(allow_loopback, settings):
    settings.WEBHOOK_MAX_RESPONSE_BYTES = 1000
    with Receiver([(302, {"location": "http://10.0.0.1/inside"}, b""), (200, {}, b"x" * 50_000)]) as receiver:
        redirected = services.webhooks.post(receiver.url(), "{}", {"content-type": "application/json"})
        big = services.webhooks.post(receiver.url(), "{}", {"content-type": "application/json"})
    assert not redirected.ok and redirected.status_code == 302 and "redirects are not followed" in redirected.error
    assert len(receiver.hits) == 2  # nothing went to the redirect's target
    assert big.ok and len(big.response_excerpt) <= 1000


def test_admin_send_a_test_event_button_and_publisher_rights(allow_loopback, client, roles):
    publisher = type(roles[2]).objects.get(pk=roles[2].pk)
    writer = type(roles[0]).objects.get(pk=roles[0].pk)
    with Receiver() as receiver:
        client.force_login(publisher)
        response = client.post(
            "/admin/releases/webhookendpoint/add/",
            {"url": receiver.url(), "description": "IR site", "events": ["release.published"], "active": "on"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        endpoint = WebhookEndpoint.objects.get()
        page = client.get(f"/admin/releases/webhookendpoint/{endpoint.pk}/change/").content.decode()
        assert "Send a test event" in page and endpoint.secret in page
        response = client.post(f"/admin/releases/webhookendpoint/{endpoint.pk}/send-test/", follow=True)
        assert "A test event" in response.content.decode()
        deliver(endpoint)
        page = client.get(f"/admin/releases/webhookendpoint/{endpoint.pk}/change/").content.decode()
        assert "webhook.test" in page and "delivered" in page
        assert client.get("/admin/releases/webhookdelivery/").status_code == 200
        assert client.get("/admin/releases/delivery/").status_code == 200

        client.force_login(writer)
        assert client.post(f"/admin/releases/webhookendpoint/{endpoint.pk}/send-test/").status_code == 403
        assert client.get("/admin/releases/webhookendpoint/").status_code == 403
    [hit] = receiver.hits
    assert Webhook(endpoint.secret).verify(hit.body, hit.headers)["type"] == "webhook.test"


class Dripping:
    """A receiver on loopback that answers a header line every `gap` seconds, each well inside the timeout."""

    def __init__(self, gap: float, lines: int, *, body_first: bool = False):
        self.gap, self.lines, self.body_first = gap, lines, body_first
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        connection, _address = self.server.accept()
        with connection:
            connection.recv(65536)
            try:
                if self.body_first:  # the status and headers at once, then the body a byte at a time
                    connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
                else:
                    connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for n in range(self.lines):
                    time.sleep(self.gap)
                    connection.sendall(b"x" if self.body_first else f"x-slow-{n}: y\r\n".encode())
                connection.sendall(b"" if self.body_first else b"content-length: 2\r\n\r\nok")
            except OSError:
                pass  # the client hung up at its deadline

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.close()


def test_the_whole_request_is_bounded_not_each_wait(allow_loopback, settings):
    """requests' timeout is per read: a receiver dripping its answer would hold the worker, and the endpoint's
    lock, for as long as it likes. The deadline cuts the request after WEBHOOK_TIMEOUT seconds in all."""
    settings.WEBHOOK_TIMEOUT = 1
    with Dripping(gap=0.3, lines=20) as receiver:  # 6 s of headers, no silence longer than 0.3 s
        started = time.monotonic()
        outcome = services.webhooks.post(f"http://127.0.0.1:{receiver.port}/", "{}", {})
        took = time.monotonic() - started
    assert not outcome.ok and outcome.status_code is None
    assert outcome.error == "No answer within 1 seconds."
    assert 0.9 < took < 2.5
    # A status that came in time is the answer, even when its body did not come in time.
    with Dripping(gap=0.3, lines=20, body_first=True) as receiver:
        started = time.monotonic()
        outcome = services.webhooks.post(f"http://127.0.0.1:{receiver.port}/", "{}", {})
        took = time.monotonic() - started
    assert outcome.ok and outcome.status_code == 200
    assert 0.9 < took < 2.5


def test_the_address_checked_is_the_address_connected_to(allow_loopback, monkeypatch):
    """DNS rebinding: a name that resolves to an allowed address when checked and to an inside one when
    connected. The name is resolved once, when the connection is made, and that checked address is used."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    asked = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        return real(next(answers), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Receiver() as receiver:
        outcome = services.webhooks.post(receiver.url(host="rebind.example"), "{}", {})
    assert outcome.ok and len(receiver.hits) == 1 and asked == ["rebind.example"]
    assert receiver.hits[0].headers["host"] == f"rebind.example:{receiver.port}"
    # Resolving to an inside address first is refused, whatever it would resolve to next.
    answers = iter(["10.0.0.1", "127.0.0.1"])
    with Receiver() as receiver:
        outcome = services.webhooks.post(receiver.url(host="rebind.example"), "{}", {})
    assert not outcome.ok and "private, loopback or link-local" in outcome.error and receiver.hits == []
