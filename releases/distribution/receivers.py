"""Connects the workflow's `release_transitioned` signal to the distribution's queue."""

import logging

from django.dispatch import receiver

from ..signals import release_transitioned
from . import services

logger = logging.getLogger(__name__)


@receiver(release_transitioned, dispatch_uid="distribution-on-transition")
def queue_distribution(sender, *, release, transition, user=None, **kwargs):
    # The transition is committed: a failure to queue must not turn it into an error page.
    # The catch-up pass (services.sweep) starts whatever was not queued here.
    try:
        services.on_transition(release=release, transition=transition)
    except Exception:
        logger.exception("Could not queue the distribution of release %s after %s", release.pk, transition)
