"""Signals the workflow sends once a transition is committed; other parts react without being called.

`release_transitioned` is sent (after the transaction commits) with `release`, `transition` (the name of
a transition of `releases.services.TRANSITIONS`, or "corrected") and `user`. "corrected" is sent for the
earlier release when the publication of its correction marks it corrected.
"""

from django.db import transaction
from django.dispatch import Signal

release_transitioned = Signal()


def send_on_commit(release, transition: str, user) -> None:
    """Send `release_transitioned` once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: release_transitioned.send(sender=type(release), release=release, transition=transition, user=user)
    )
