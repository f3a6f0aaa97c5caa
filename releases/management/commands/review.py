"""Read a release for review from the shell: its text as the public would read it, its version and digest.

manage.py review 12 --user reviewer

An approval names the version and digest printed here (`manage.py release approve 12 --user reviewer
--version-read 4 --digest …`): if the release or a part it is composed from changes in between, the
approval is refused and says what changed.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from releases import rendering, services
from releases.models import Release


class Command(BaseCommand):
    help = "Print a release as it reads now, with the version and digest an approval must name."

    def add_arguments(self, parser):
        parser.add_argument("release_id", type=int)
        parser.add_argument("--user", required=True, help="Username of the reviewer (what they read is kept).")

    def handle(self, *args, release_id, user, **options):
        try:
            reader = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{user}”.") from None
        try:
            release = Release.objects.get(pk=release_id)
        except Release.DoesNotExist:
            raise CommandError(f"No release with id {release_id}.") from None
        try:
            review = services.release_review(release=release, user=reader)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Release {release.pk} “{release.headline}”: version {review.version}, "
            f"{release.get_status_display().lower()}.\n"
            f"Digest: {review.digest}\n"
            f"To approve exactly this: manage.py release approve {release.pk} --user {user} "
            f"--version-read {review.version} --digest {review.digest}\n"
        )
        self.stdout.write(rendering.render_text(review.composed))
