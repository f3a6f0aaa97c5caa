from importlib import import_module

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import caching
        from .distribution import receivers  # noqa: F401  (email alerts and webhooks follow the workflow)
        from .models import Release, ReleaseImage, Snapshot

        # Not a state change: it only tells kept public answers that something may have changed.
        for model in (Release, Snapshot, ReleaseImage):
            post_save.connect(caching.bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
            post_delete.connect(caching.bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
        # A CDN in front (CDN_PURGE_HOOK) hears which keys to drop when a release that went out changes.
        for model in (Release, Snapshot):
            post_save.connect(caching.purge_on_change, sender=model, dispatch_uid=f"purge-{model.__name__}-save")
            post_delete.connect(caching.purge_on_change, sender=model, dispatch_uid=f"purge-{model.__name__}-delete")
        register_hyphenation_dictionaries()


def register_hyphenation_dictionaries() -> None:
    """Give pyphen (and so WeasyPrint) the dictionaries of releases/hyphenation/ it lacks (Finnish)."""
    from pathlib import Path

    import pyphen

    for path in sorted((Path(__file__).resolve().parent / "hyphenation").glob("hyph_*.dic")):
        language = path.stem.removeprefix("hyph_")
        pyphen.LANGUAGES.setdefault(language, path)
        pyphen.LANGUAGES_LOWERCASE.setdefault(language.lower(), language)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the newsroom's site as the default one (`admin.site`)."""

    default = False  # `releases` itself is ReleasesConfig

    def ready(self):
        # Import the newsroom's ModelAdmins before Django's autodiscovery touches `admin.site`: their
        # registration builds the default site from inside the package, once, and registers on it.
        import_module("releases.admin")
        super().ready()

    default_site = "releases.admin.site.NewsroomAdminSite"
