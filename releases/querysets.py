"""The read side's vocabulary. No state changes here: those live in `releases.services`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def published_q(now=None) -> Q:
    """The one definition of "public": released by a publisher and its moment has come."""
    now = now or timezone.now()
    return Q(status__in=("published", "corrected", "withdrawn"), publication_at__isnull=False, publication_at__lte=now)


def scheduled_q(now=None) -> Q:
    """Published by a publisher, its moment still to come: it becomes public by the clock alone."""
    now = now or timezone.now()
    return Q(status="published", publication_at__gt=now)


def _prefixed(q: Q, relation: str) -> Q:
    """The same condition, asked of a related release (e.g. the correction of this one)."""
    prefixed = Q()
    prefixed.connector, prefixed.negated = q.connector, q.negated
    prefixed.children = [
        _prefixed(child, relation) if isinstance(child, Q) else (f"{relation}__{child[0]}", child[1])
        for child in q.children
    ]
    return prefixed


class ReleaseQuerySet(models.QuerySet):
    def published(self, now=None):
        """Releases anyone may read, decided at the moment of the query (no job flips a flag)."""
        return self.filter(published_q(now))

    def listed(self, now=None):
        """Public releases that belong in lists, feeds and search.

        A withdrawn release keeps only its notice; a corrected one stays readable at its address
        but leaves the lists once its correction is public (until then it is still the current text).
        """
        now = now or timezone.now()
        superseded = Q(status="corrected") & _prefixed(published_q(now), "correction")
        return self.published(now).exclude(status="withdrawn").exclude(superseded)

    def scheduled(self, now=None):
        return self.filter(scheduled_q(now))

    def drafts(self):
        return self.filter(status="draft")

    def in_review(self):
        return self.filter(status="in_review")
