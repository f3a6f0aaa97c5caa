import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request in French must not leak its language into the next test."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def demo(db):
    """The reference release and its parts, as `load_demo` builds them."""
    call_command("load_demo", verbosity=0)
    from releases.models import Release

    return Release.objects.get(slug="ose-immunotherapeutics-lusvertikimab-blood-publication", language="en")
