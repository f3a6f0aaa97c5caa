"""Drive a release through its workflow from the shell, through the same services as the admin.

manage.py release submit 12 --user writer
manage.py release return 12 --user reviewer --comment "Name the trial."
manage.py release approve 12 --user reviewer
manage.py release publish 12 --user publisher [--at 2024-07-01T07:30:00+02:00]
manage.py release correct 12 --user publisher --comment "The dose was 10 mg."
manage.py release withdraw 12 --user publisher --comment "Issued in error."
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from releases import services
from releases.models import Release

ACTIONS = ("submit", "return", "approve", "publish", "unschedule", "correct", "withdraw")


class Command(BaseCommand):
    help = "Submit, return, approve, publish, unschedule, correct or withdraw a release as a given user."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("release_id", type=int)
        parser.add_argument("--user", required=True, help="Username of the person doing it (recorded in the trail).")
        parser.add_argument("--comment", default="", help="Return comment, correction note or withdrawal notice.")
        parser.add_argument("--at", default=None, help="Publication moment, ISO 8601 with offset (publish only).")

    def handle(self, *args, action, release_id, user, comment, at, **options):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{user}”.") from None
        try:
            release = Release.objects.get(pk=release_id)
        except Release.DoesNotExist:
            raise CommandError(f"No release with id {release_id}.") from None
        moment = None
        if at:
            moment = parse_datetime(at)
            if moment is None or moment.tzinfo is None:
                raise CommandError(f"“{at}” is not a moment with its time zone, e.g. 2024-07-01T07:30:00+02:00.")

        calls = {
            "submit": lambda: services.release_submit(release=release, user=actor, comment=comment),
            "return": lambda: services.release_return(release=release, user=actor, comment=comment),
            "approve": lambda: services.release_approve(release=release, user=actor, comment=comment),
            "publish": lambda: services.release_publish(release=release, user=actor, at=moment),
            "unschedule": lambda: services.release_unschedule(release=release, user=actor),
            "correct": lambda: services.release_correct(release=release, user=actor, note=comment),
            "withdraw": lambda: services.release_withdraw(release=release, user=actor, notice=comment),
        }
        try:
            result = calls[action]()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Release {result.pk} “{result.headline}” is now {result.get_status_display().lower()}.")
