import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The reference release and its parts, as `load_demo` builds them."""
    call_command("load_demo", verbosity=0)
    from releases.models import Release

    return Release.objects.get(slug="ose-immunotherapeutics-lusvertikimab-blood-publication", language="en")
