"""The public subscription: form, double opt-in through a real SMTP server, consent, throttle, no enumeration."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from releases.distribution import services
from releases.models import Subscriber
from tests.distribution_support import Inbox, SMTPServer, links, path_of, subscriber, use_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings):
    box = Inbox()
    with SMTPServer(box) as server:
        use_smtp(settings, server)
        yield box


def queued_confirmations():
    return list(DBTaskResult.objects.filter(task_path=services.send_confirmation_task.module_path, status="READY"))


def run_queued_confirmations():
    """What the worker does with each queued confirmation (the task's own function, in this process)."""
    for row in queued_confirmations():
        services.send_confirmation_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.delete()


def post_form(client, email, *, languages=("en",), categories=("all",), consent=True, prefix=""):
    data = {"email": email, "languages": list(languages), "categories": list(categories)}
    if consent:
        data["consent"] = "on"
    return client.post(f"{prefix}/alerts/", data, REMOTE_ADDR="203.0.113.7")


def test_the_form_in_english_and_french_lists_languages_categories_and_the_consent_text():
    response = Client().get("/alerts/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Email address", "English", "French", "All releases", "Inside information", "I agree to receive"):
        assert text in page
    french = Client().get("/fr/alerts/").content.decode()
    assert 'lang="fr"' in french
    assert "Adresse e-mail" in french and "J’accepte de recevoir" in french
    # Every newsroom page links to it.
    assert 'href="/alerts/"' in Client().get("/").content.decode()


def test_double_opt_in_records_the_consent_word_for_word(inbox, client):
    response = post_form(client, "Reader@Example.org", languages=("en", "fr"), categories=("regulated",))
    assert response.status_code == 302 and response["Location"] == "/alerts/check-your-inbox/"
    assert not Subscriber.objects.exists()  # nothing kept before the link is used
    run_queued_confirmations()
    [message] = inbox.to("reader@example.org")
    assert message.message["Subject"] == "Confirm your email alerts"
    [confirm] = [u for u in links(message.text) if "/alerts/confirm/" in u]
    assert f'href="{confirm}"' in message.html

    page = client.get(path_of(confirm))  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "reader@example.org" in page.content.decode()
    assert not Subscriber.objects.exists()
    done = client.post(path_of(confirm), REMOTE_ADDR="198.51.100.9")
    assert done.status_code == 200 and "You are subscribed" in done.content.decode()

    s = Subscriber.objects.get()
    assert s.email == "reader@example.org" and s.status == Subscriber.Status.ACTIVE
    assert s.language_list == ["en", "fr"] and s.category_list == ["regulated"]
    assert s.consent_text == services.consent_text("en")
    assert s.consent_text.startswith("I agree to receive press releases by email")
    assert s.confirm_ip == "198.51.100.9"  # where the consent was given (the link, not the form)
    assert s.requested_at <= s.confirmed_at


def test_the_french_form_records_the_french_consent(inbox, client):
    post_form(client, "lectrice@example.fr", languages=("fr",), prefix="/fr")
    run_queued_confirmations()
    [message] = inbox.to("lectrice@example.fr")
    assert message.message["Subject"] == "Confirmez vos alertes par e-mail"
    [confirm] = [u for u in links(message.text) if "/confirm/" in u]
    assert "/fr/alerts/confirm/" in confirm
    client.post(path_of(confirm))
    s = Subscriber.objects.get()
    assert s.consent_language == "fr" and s.consent_text == services.consent_text("fr")
    assert s.consent_text.startswith("J’accepte")


def test_the_same_answer_whether_the_address_is_known_or_not(inbox, client):
    subscriber("known@example.org")
    known = post_form(client, "known@example.org")
    unknown = post_form(Client(), "unknown@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(queued_confirmations()) == 2  # both get a link; the known one confirms new choices with it
    after_known = client.get(known["Location"]).content.decode()
    after_unknown = Client().get(unknown["Location"]).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", after_known) == strip.sub("", after_unknown)


def test_invalid_form_explains_in_plain_words(client):
    response = post_form(client, "not-an-address", languages=(), consent=False)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert "Choose at least one language." in page
    assert "Tick the box to agree" in page
    assert not queued_confirmations()


def test_the_form_is_throttled_per_client(settings, client):
    settings.DISTRIBUTION_FORM_RATE = "3/600"
    for n in range(3):
        assert post_form(client, f"r{n}@example.org").status_code == 302
    throttled = post_form(client, "r9@example.org")
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "600"
    assert "Try again in 10 minutes" in throttled.content.decode()
    assert len(queued_confirmations()) == 3


def test_one_address_gets_at_most_three_confirmations_an_hour_with_the_same_answer(client):
    answers = set()
    for n in range(5):
        response = Client().post(
            "/alerts/",
            {"email": "target@example.org", "languages": ["en"], "categories": ["all"], "consent": "on"},
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, "/alerts/check-your-inbox/")}
    assert len(queued_confirmations()) == 3


def test_expired_or_tampered_links_say_so(inbox, client, settings):
    post_form(client, "late@example.org")
    run_queued_confirmations()
    [confirm] = [u for u in links(inbox.to("late@example.org")[0].text) if "/confirm/" in u]
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.DISTRIBUTION_CONFIRM_MAX_AGE + 60)):
        expired = client.post(path_of(confirm))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    tampered = client.get(path_of(confirm).replace("/confirm/", "/confirm/x"))
    assert tampered.status_code == 404 and "does not work" in tampered.content.decode()
    assert not Subscriber.objects.exists()


def test_confirming_again_updates_the_choices_and_resubscribes(inbox, client):
    s = subscriber("back@example.org", languages=("en",))
    s.status = Subscriber.Status.UNSUBSCRIBED
    s.save()
    post_form(client, "back@example.org", languages=("fr",), categories=("inside_information",))
    run_queued_confirmations()
    [confirm] = [u for u in links(inbox.to("back@example.org")[0].text) if "/confirm/" in u]
    client.post(path_of(confirm))
    s.refresh_from_db()
    assert s.status == Subscriber.Status.ACTIVE and s.unsubscribed_at is None
    assert s.language_list == ["fr"] and s.category_list == ["inside_information"]
    assert Subscriber.objects.count() == 1


def test_behind_a_reverse_proxy_the_throttle_and_the_consent_use_the_readers_address(inbox, settings):
    """The proxy of the deployment guide connects from 127.0.0.1 for everybody: counted per connection, one
    busy reader would throttle the world, and every consent would say it came from the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.DISTRIBUTION_FORM_RATE = "2/600"

    def post(email, reader):
        data = {"email": email, "languages": ["en"], "categories": ["all"], "consent": "on"}
        return Client().post("/alerts/", data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=reader)

    assert [post(f"a{n}@example.org", "203.0.113.7").status_code for n in range(3)] == [302, 302, 429]
    assert post("b@example.org", "198.51.100.20").status_code == 302  # another reader is not held back
    # A client cannot pick its address by adding its own X-Forwarded-For entry: the proxy's is the one read.
    assert post("c@example.org", "10.9.9.9, 203.0.113.7").status_code == 429

    run_queued_confirmations()
    [confirm] = [u for u in links(inbox.to("b@example.org")[0].text) if "/confirm/" in u]
    Client().post(path_of(confirm), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert Subscriber.objects.get(email="b@example.org").confirm_ip == "198.51.100.20"
