"""The site's routes, and `/bench-floor/page/`: the floor under a release page's answer with the cache off.

The floor view does the least any database-backed answer must: Django's request cycle through the project's
middleware (answered early, as a release's page is), one round trip to PostgreSQL (`SELECT 1`, lighter than
the page's indexed lookup) and a write of the page's bytes, held in memory. Its rate divided by the static
copy's is the highest ratio a page answer that asks the database can reach on the machine that ran it.
"""

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site
from releases.middleware import same_for_everyone

_PAGE: list[bytes] = []


@same_for_everyone
def floor(request):
    if not _PAGE:
        _PAGE.append((Path(settings.STATIC_ROOT) / "bench" / "page.html").read_bytes())
    connection.ensure_connection()
    connection.health_check_done = True  # one round trip, as the page's read makes it (releases/prepared.py)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(_PAGE[0], content_type="text/html; charset=utf-8")


urlpatterns = [*site, path("bench-floor/page/", floor)]
