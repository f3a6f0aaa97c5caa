"""The three editorial roles as groups, each with the permissions its work needs and no more.

Writers compose releases from the company's parts and submit them; reviewers approve or return;
publishers schedule, publish, correct and withdraw. No role may delete a release, a workflow event
or a snapshot, and nobody but an administrator deletes a reusable part.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Everything a release is made of, and its record: every role reads it.
VIEW = [
    "release", "reference", "releasetopic", "releasedisclaimer", "releasecontact", "releaseimage",
    "snapshot", "workflowevent", "company", "listing", "contact", "pipelineasset", "program",
    "assetsentence", "boilerplateblock", "disclaimer",
]

ROLES = {
    "Writer": (
        [f"view_{m}" for m in VIEW]
        + ["add_release", "change_release", "submit_release"]
        # The release's own ordered parts: a writer adds, reorders and removes them on a draft.
        + [f"{a}_{m}" for m in ("reference", "releasetopic", "releasedisclaimer", "releasecontact", "releaseimage")
           for a in ("add", "change", "delete")]
        # The reusable parts a writer composes from (topic Abouts, contacts, the pipeline's wording).
        + [f"{a}_{m}" for m in ("boilerplateblock", "contact", "pipelineasset", "program", "assetsentence")
           for a in ("add", "change")]
    ),
    "Reviewer": [f"view_{m}" for m in VIEW] + ["review_release"],
    "Publisher": [f"view_{m}" for m in VIEW] + ["publish_release"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="releases", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
