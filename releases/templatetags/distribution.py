"""Template tags of the email alerts: the newsroom's link to the form, the admin's panel for a release."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def alerts_link():
    """The footer link to the subscription form, in the page's language."""
    return format_html(
        '<p class="alerts-link"><a href="{}">{}</a></p>',
        reverse("alerts:subscribe"),
        _("Email alerts: get each release by email"),
    )


@register.inclusion_tag("releases/distribution/panel.html")
def distribution_panel(release):
    """How `release` went out: messages sent, waiting, failed and why; webhook deliveries."""
    from releases.distribution.services import panel

    return panel(release)
