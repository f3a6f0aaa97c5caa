"""The messages: a confirmation request, a release, its correction, a withdrawal notice.

A release's message is rendered once per dispatch with a placeholder for the one thing that differs
per subscriber (the unsubscribe link), so ten thousand messages cost one template render.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Dispatch, Release
from . import tokens

UNSUBSCRIBE_PLACEHOLDER = "__NEWSROOM_UNSUBSCRIBE_URL__"


def absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(subscriber, language: str) -> str:
    with translation.override(language):
        return absolute(reverse("alerts:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscriber)}))


def confirm_url(token: str, language: str) -> str:
    with translation.override(language):
        return absolute(reverse("alerts:confirm", kwargs={"token": token}))


def subscribe_url(language: str) -> str:
    with translation.override(language):
        return absolute(reverse("alerts:subscribe"))


def confirmation_message(*, email: str, token: str, language: str) -> EmailMultiAlternatives:
    """The double opt-in request: nothing is sent to this address until the link is used."""
    with translation.override(language):
        context = {
            "confirm_url": confirm_url(token, language),
            "subscribe_url": subscribe_url(language),
            "hours": settings.DISTRIBUTION_CONFIRM_MAX_AGE // 3600,
            "language": language,
        }
        subject = _("Confirm your email alerts")
        text = render_to_string("releases/distribution/email/confirm.txt", context)
        html = render_to_string("releases/distribution/email/confirm.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DISTRIBUTION_FROM_EMAIL, [email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


@dataclass(frozen=True)
class Template:
    """A rendered message with the unsubscribe link left as a placeholder."""

    subject: str
    text: str
    html: str
    language: str
    release_id: int
    kind: str

    def build(self, *, subscriber, delivery_id: int) -> EmailMultiAlternatives:
        link = unsubscribe_url(subscriber, self.language)
        message = EmailMultiAlternatives(
            self.subject,
            self.text.replace(UNSUBSCRIBE_PLACEHOLDER, link),
            settings.DISTRIBUTION_FROM_EMAIL,
            [subscriber.email],
        )
        message.attach_alternative(self.html.replace(UNSUBSCRIBE_PLACEHOLDER, link), "text/html")
        # RFC 8058: a mail client may unsubscribe with one POST to this address, no page in between.
        message.extra_headers["List-Unsubscribe"] = f"<{link}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.extra_headers["List-Id"] = f"<alerts.{site_host()}>"
        # The same Message-ID on every attempt of one delivery: a mailbox can drop a repeated message.
        message.extra_headers["Message-ID"] = f"<delivery-{delivery_id}.{self.kind}.{self.release_id}@{site_host()}>"
        message.extra_headers["X-Newsroom-Release"] = str(self.release_id)
        message.extra_headers["X-Newsroom-Kind"] = self.kind
        return message


def release_template(release: Release, kind: str) -> Template:
    """The message for `release`: the frozen fragment and text, the links to its page and PDF."""
    snapshot = release.snapshot
    language = release.language
    with translation.override(language):
        context = {
            "release": release,
            "kind": kind,
            "fragment_html": snapshot.fragment_html,
            "plain_text": snapshot.plain_text,
            "page_url": absolute(release.get_absolute_url()),
            "pdf_url": absolute(release.get_pdf_url()),
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "subscribe_url": subscribe_url(language),
            "company": snapshot.company_name,
            "language": language,
        }
        if kind == Dispatch.Kind.CORRECTION and release.corrects_id:
            context["original_url"] = absolute(release.corrects.get_absolute_url())
            subject = _("Correction: %(headline)s") % {"headline": release.headline}
        elif kind == Dispatch.Kind.WITHDRAWAL:
            subject = _("Withdrawn: %(headline)s") % {"headline": release.headline}
        else:
            subject = release.headline
        name = "withdrawal" if kind == Dispatch.Kind.WITHDRAWAL else "release"
        text = render_to_string(f"releases/distribution/email/{name}.txt", context)
        html = render_to_string(f"releases/distribution/email/{name}.html", context)
    return Template(subject=subject, text=text, html=html, language=language, release_id=release.pk, kind=kind)
