"""`manage.py distribution_sweep`: run the distribution's catch-up pass once (for cron, or after a restart).

It dispatches releases that became public in the last DISTRIBUTION_SWEEP_WINDOW_HOURS and were never
sent, notifies withdrawals, and queues senders for messages and webhooks left waiting. The worker
(`manage.py db_worker`) then sends them. The pass also runs by itself every DISTRIBUTION_SWEEP_SECONDS
while a worker runs.
"""

from django.core.management.base import BaseCommand

from releases.distribution import services


class Command(BaseCommand):
    help = "Start the email alerts and webhooks that should have started (releases, withdrawals, retries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="Also keep the periodic pass queued for the worker."
        )

    def handle(self, *args, schedule=False, **options):
        done = services.sweep()
        if schedule:
            services.schedule_sweep()
        self.stdout.write(
            f"Dispatched {done['dispatched']} release(s) and {done['withdrawals']} withdrawal notice(s); "
            f"queued {done['senders']} sender(s) and {done['endpoints']} webhook endpoint(s)."
        )
