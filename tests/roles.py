"""The role groups as the migrations make them, put back after a transactional test empties every table."""

import importlib

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType


def role_permissions() -> dict[str, list[str]]:
    """Each role's permission codenames: the editorial roles of migration 0002 and the distribution roles
    of migration 0005."""
    roles = {
        name: list(codenames)
        for name, codenames in importlib.import_module("releases.migrations.0002_roles").ROLES.items()
    }
    distribution = importlib.import_module("releases.migrations.0005_distribution_roles").DISTRIBUTION_ROLES
    for name, codenames in distribution.items():
        roles[name] = roles.get(name, []) + list(codenames)
    return roles


def restore_roles() -> None:
    """Content types, permissions and role groups, each role with exactly its permissions.

    A flush gives the content types new ids, so the cached ones are forgotten first: permissions created
    against a cached, deleted content type would leave every role empty.
    """
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for name, codenames in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))
