"""Take a release through a workflow step from the shell, through the same transitions as the admin and the API.

manage.py release submit 12 --user writer
manage.py release return 12 --user reviewer --comment "Name the trial."
manage.py review 12 --user reviewer            # prints the release, its version and its digest
manage.py release approve 12 --user reviewer --version-read 4 --digest 3f2a…
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

# The command-line option of each kind of argument a transition takes.
OPTIONS = {
    "text": ("--comment", "The step's text: a comment, a correction note, a withdrawal notice"),
    "moment": ("--at", "The moment, ISO 8601 with its offset"),
    "version": ("--version-read", "The version you read, as `manage.py review` printed it"),
    "digest": ("--digest", "The digest of what you read, as `manage.py review` printed it"),
}


class Command(BaseCommand):
    help = "Take a release through a workflow step as a given user: " + ", ".join(services.TRANSITIONS) + "."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=list(services.TRANSITIONS))
        parser.add_argument("release_id", type=int)
        parser.add_argument("--user", required=True, help="Username of the person doing it (recorded in the trail).")
        for kind, (flag, help_text) in OPTIONS.items():
            steps = [name for name, t in services.TRANSITIONS.items() if any(a.kind == kind for a in t.arguments)]
            parser.add_argument(flag, default=None, help=f"{help_text} ({', '.join(steps)}).")

    def handle(self, *args, action, release_id, user, **options):
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
        for spec in transition.arguments:
            value = options.get(OPTIONS[spec.kind][0].lstrip("-").replace("-", "_"))
            if value is None:
                continue
            if spec.kind == "moment":
                moment = parse_datetime(value)
                if moment is None or moment.tzinfo is None:
                    raise CommandError(f"“{value}” is not a moment with its time zone, e.g. 2024-07-01T07:30:00+02:00.")
                value = moment
            elif spec.kind == "version":
                if not (value.isascii() and value.isdigit()):
                    raise CommandError(f"“{value}” is not a version number.")
                value = int(value)
            arguments[spec.name] = value
        try:
            result = transition.execute(release=release, user=actor, **arguments)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except (PermissionDenied, RenderError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Release {result.pk} “{result.headline}” is now {result.get_status_display().lower()}.")
