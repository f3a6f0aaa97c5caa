"""The work that runs outside the request, on Django's tasks framework.

The database backend (django-tasks-db) keeps the queue in the site's own database; `manage.py db_worker`
runs it. Each task re-reads what it needs and decides again when it runs: a task queued for a release's
moment finds out then whether the release is public.
"""

from django.tasks import task

from . import services


@task
def send_confirmation(email: str, token: str, language: str) -> None:
    services.send_confirmation(email, token, language)


@task
def dispatch_release(release_id: int) -> int | None:
    dispatch = services.dispatch_release(release_id)
    return dispatch.pk if dispatch else None


@task
def dispatch_withdrawal(release_id: int) -> int | None:
    dispatch = services.dispatch_withdrawal(release_id)
    return dispatch.pk if dispatch else None


@task
def send_deliveries(dispatch_id: int) -> dict:
    return services.send_deliveries(dispatch_id).as_dict()


@task
def deliver_webhooks(endpoint_id: int) -> dict:
    return services.deliver_endpoint(endpoint_id)


@task
def sweep() -> dict:
    """The catch-up pass; it queues the next one, so one is always waiting."""
    try:
        return services.sweep()
    finally:
        services.schedule_sweep()
