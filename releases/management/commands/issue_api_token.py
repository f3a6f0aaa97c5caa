"""Issue an API token for a user from the shell (deployment scripts, the production smoke test).

manage.py issue_api_token wire-service --name "Wire service"           # prints the key, once
manage.py issue_api_token importer --name "Archive import" --role Writer --create-user

The key is printed once on standard output and only its SHA-256 is stored, as with *API tokens › Add* in
the admin. `--create-user` makes a user without a password (it can use the API, never log in) in the
given role groups.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from releases.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What uses the token, e.g. IR website.")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            help="A role group (Writer, Reviewer, Publisher) to put the user in; may be repeated.",
        )
        parser.add_argument("--create-user", action="store_true", help="Create the user if there is none.")

    @transaction.atomic
    def handle(self, *args, username, name, role, create_user, **options):
        users = get_user_model()
        groups = []
        for group_name in role:
            try:
                groups.append(Group.objects.get(name=group_name))
            except Group.DoesNotExist:
                known = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
                raise CommandError(f"No role named “{group_name}”. The roles are: {known}.") from None
        user = users.objects.filter(username=username).first()
        if user is None:
            if not create_user:
                raise CommandError(f"No user named “{username}” (add --create-user to create one).")
            user = users(username=username)
            user.set_unusable_password()
            user.save()
        if not user.is_active:
            raise CommandError(f"The user “{username}” is inactive: a token would be refused.")
        user.groups.add(*groups)
        _token, key = api_token_issue(user=user, name=name)
        self.stdout.write(key)
