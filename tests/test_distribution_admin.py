"""The distribution in the admin: the per-release panel, deliveries, subscribers (filters, export, erase)
and who may do what."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.template import Context, Template

from releases.distribution import services
from releases.models import Delivery, Subscriber
from tests import factories
from tests.distribution_support import (
    Inbox,
    SMTPServer,
    published_release,
    role_users,
    subscriber,
    use_smtp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(db):
    return [type(u).objects.get(pk=u.pk) for u in role_users()]


@pytest.fixture
def sent_release(settings, roles, fast_rendering):
    """A release sent to two subscribers, one of whose addresses the mail server refuses."""
    subscriber("ok@example.org", languages=("en",))
    subscriber("gone@example.org", languages=("en", "fr"), categories=("regulated", "non_regulated"))
    subscriber("fr@example.org", languages=("fr",), categories=("inside_information",))
    inbox = Inbox(refuse_rcpt={"gone@example.org"})
    with SMTPServer(inbox) as server:
        use_smtp(settings, server)
        release = published_release(roles=roles)
        dispatch = services.dispatch_release(release.pk)
        services.send_deliveries(dispatch.pk)
    return release


def test_the_panel_counts_sent_and_failed_with_the_reason(sent_release):
    html = Template("{% load distribution %}{% distribution_panel release %}").render(
        Context({"release": sent_release})
    )
    assert "Distribution" in html
    assert "<td>2</td><td>1</td><td>0</td>" in html.replace("\n", "")  # 2 recipients, 1 sent, 0 waiting
    assert "550" in html and "No such mailbox" in html
    assert f"release__id__exact={sent_release.pk}" in html


def test_the_delivery_list_filtered_by_release_is_read_only(client, roles, sent_release):
    publisher = roles[2]
    client.force_login(publisher)
    response = client.get(f"/admin/releases/delivery/?release__id__exact={sent_release.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ok@example.org" in page and "gone@example.org" in page
    assert "No such mailbox" in page
    other = factories.ReleaseFactory()
    elsewhere = client.get(f"/admin/releases/delivery/?release__id__exact={other.pk}")
    assert "ok@example.org" not in elsewhere.content.decode()
    delivery = Delivery.objects.filter(release=sent_release).first()
    change = client.get(f"/admin/releases/delivery/{delivery.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.post(f"/admin/releases/delivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403


def test_subscriber_list_filters_by_status_language_and_category(client, roles, sent_release):
    client.force_login(roles[2])
    base = "/admin/releases/subscriber/"
    assert client.get(base).status_code == 200
    french = client.get(base + "?language=fr").content.decode()
    assert "fr@example.org" in french and "gone@example.org" in french and "ok@example.org" not in french
    inside = client.get(base + "?category=inside_information").content.decode()
    assert "fr@example.org" in inside and "ok@example.org" not in inside
    every = client.get(base + "?category=all").content.decode()
    assert "ok@example.org" in every and "fr@example.org" not in every
    assert "ok@example.org" in client.get(base + "?status__exact=active").content.decode()


def test_only_a_superuser_or_a_granted_user_exports_and_erases(client, roles, sent_release):
    publisher = roles[2]
    alice = Subscriber.objects.get(email="ok@example.org")
    client.force_login(publisher)
    page = client.get("/admin/releases/subscriber/").content.decode()
    assert "export_selected" not in page and "erase_selected" not in page and "delete_selected" not in page
    refused = client.post("/admin/releases/subscriber/", {"action": "export_selected", "_selected_action": [alice.pk]})
    assert refused.status_code == 200 and not refused.get("Content-Disposition")  # the action is not there
    assert client.get("/admin/releases/webhookendpoint/add/").status_code == 200  # publishers manage endpoints
    writer = roles[0]
    client.force_login(writer)
    assert client.get("/admin/releases/subscriber/").status_code == 403
    assert client.get("/admin/releases/delivery/").status_code == 403

    admin = factories.UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    exported = client.post("/admin/releases/subscriber/", {"action": "export_selected", "_selected_action": [alice.pk]})
    assert exported["Content-Disposition"] == 'attachment; filename="subscribers-export.json"'
    [record] = json.loads(exported.content)["subscribers"]
    assert record["email"] == "ok@example.org"
    assert record["consent"]["text"] == alice.consent_text
    assert record["messages"][0]["status"] == "sent"

    # A publisher given the permission may erase.
    publisher.user_permissions.add(Permission.objects.get(codename="erase_subscriber"))
    publisher = type(publisher).objects.get(pk=publisher.pk)
    client.force_login(publisher)
    erased = client.post(
        "/admin/releases/subscriber/", {"action": "erase_selected", "_selected_action": [alice.pk]}, follow=True
    )
    assert "Erased 1 subscriber" in erased.content.decode()
    assert not Subscriber.objects.filter(email="ok@example.org").exists()
    # The delivery stays, counted, without the address.
    kept = Delivery.objects.get(release=sent_release, status="sent")
    assert kept.subscriber is None
    panel = services.panel(sent_release)["dispatches"][0]
    assert (panel["sent"], panel["failed"]) == (1, 1)


class PostfixLikeInbox(Inbox):
    """Refuses as Postfix does, naming the address in its answer."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_rcpt:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def test_erasing_removes_the_address_from_refusal_reasons_and_the_work_queue(settings, roles, fast_rendering):
    from django_tasks_db.models import DBTaskResult

    from releases.distribution import services

    subscriber("gone@example.org")
    subscriber("stays@example.org")
    inbox = PostfixLikeInbox(refuse_rcpt={"gone@example.org", "stays@example.org"})
    with SMTPServer(inbox) as server:
        use_smtp(settings, server)
        release = published_release(roles=roles)
        services.send_deliveries(services.dispatch_release(release.pk).pk)
    for email in ("gone@example.org", "stays@example.org"):  # each asked for a confirmation once
        services.request_subscription(email=email, languages=["en"], categories=["all"], language="en")
    gone = Delivery.objects.get(subscriber__email="gone@example.org")
    assert "<gone@example.org>" in gone.error

    admin = factories.UserFactory(username="root", is_superuser=True)
    services.erase_subscriber(subscriber=Subscriber.objects.get(email="gone@example.org"), user=admin)

    gone.refresh_from_db()
    assert gone.subscriber is None and gone.status == "failed"
    assert "gone@example.org" not in gone.error
    assert gone.error.startswith("The mail server refused the address: 550 5.1.1 <[erased]>: Recipient address")
    kept = Delivery.objects.get(subscriber__email="stays@example.org")
    assert "<stays@example.org>" in kept.error  # nobody else's reason changes
    queued = DBTaskResult.objects.filter(task_path=services.send_confirmation_task.module_path)
    assert [row.args_kwargs["args"][0] for row in queued] == ["stays@example.org"]
    rows = [json.dumps(row.args_kwargs) for row in DBTaskResult.objects.all()]
    assert not [row for row in rows if "gone@example.org" in row]
