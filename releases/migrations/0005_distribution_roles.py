"""Who may see and run the distribution (email alerts, webhooks).

Publishers register webhook endpoints and follow what was sent (deliveries, the subscriber list);
reviewers see what was sent. Nobody but a superuser exports or erases a subscriber unless an
administrator gives them `export_subscriber` / `erase_subscriber`. Subscribers are not changed by hand:
they subscribe and unsubscribe themselves.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DISTRIBUTION_ROLES = {
    "Publisher": [
        "view_subscriber",
        "view_dispatch",
        "view_delivery",
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
        "view_webhookendpoint",
        "view_webhookdelivery",
        "view_webhookattempt",
    ],
    "Reviewer": ["view_dispatch", "view_delivery", "view_webhookdelivery"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in DISTRIBUTION_ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in DISTRIBUTION_ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="releases", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("releases", "0004_distribution")]

    operations = [migrations.RunPython(grant, revoke)]
