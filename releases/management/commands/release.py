"""Take a release through a workflow step from the shell, through the same transitions as the admin and the API.

manage.py release submit 12 --user writer
manage.py release return 12 --user reviewer --comment "Name the trial."
manage.py release approve 12 --user reviewer
manage.py release publish 12 --user publisher [--at 2024-07-01T07:30:00+02:00]
manage.py release correct 12 --user publisher --comment "The dose was 10 mg."
manage.py release withdraw 12 --user publisher --comment "Issued in error."

The steps and what each asks for come from `releases.services.TRANSITIONS`.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from releases import services
from releases.models import Release
from releases.rendering import RenderError


class Command(BaseCommand):
    help = "Take a release through a workflow step as a given user: " + ", ".join(services.TRANSITIONS) + "."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=list(services.TRANSITIONS))
        parser.add_argument("release_id", type=int)
        parser.add_argument("--user", required=True, help="Username of the person doing it (recorded in the trail).")
        texts = [
            str(t.argument.label).lower()
            for t in services.TRANSITIONS.values()
            if t.argument and t.argument.kind == "text"
        ]
        parser.add_argument("--comment", default="", help="The step's text: " + ", ".join(dict.fromkeys(texts)) + ".")
        parser.add_argument("--at", default=None, help="The step's moment, ISO 8601 with its offset (publish).")

    def handle(self, *args, action, release_id, user, comment, at, **options):
        transition = services.TRANSITIONS[action]
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{user}”.") from None
        try:
            release = Release.objects.get(pk=release_id)
        except Release.DoesNotExist:
            raise CommandError(f"No release with id {release_id}.") from None
        arguments = {}
        spec = transition.argument
        if spec is not None and spec.kind == "text":
            arguments[spec.name] = comment
        elif spec is not None and at:
            moment = parse_datetime(at)
            if moment is None or moment.tzinfo is None:
                raise CommandError(f"“{at}” is not a moment with its time zone, e.g. 2024-07-01T07:30:00+02:00.")
            arguments[spec.name] = moment
        try:
            result = transition.execute(release=release, user=actor, **arguments)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except (PermissionDenied, RenderError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Release {result.pk} “{result.headline}” is now {result.get_status_display().lower()}.")
