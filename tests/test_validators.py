"""Uploads keep only real PNG, JPEG and WebP images within the size limit, under a clean name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from releases.models import Company, ReleaseImage
from releases.validators import sanitised_name, sniff, validate_image_upload
from tests import factories

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str = "PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_real_png_jpeg_and_webp_images_are_accepted(fmt):
    validate_image_upload(upload(f"x.{fmt.lower()}", image_bytes(fmt)))


def test_html_named_png_is_refused_in_plain_words():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("logo.png", b"<html><script>alert(1)</script></html>"))
    assert error.value.messages == [
        "“logo.png” is not a PNG, JPEG or WebP image, whatever its name says. "
        "Open it in an image editor and export it as PNG or JPEG."
    ]


def test_svg_is_refused_even_with_an_image_name():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("logo.png", svg, "image/svg+xml"))
    assert error.value.code == "svg"


def test_a_truncated_png_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("cut.png", image_bytes("PNG")[:40]))
    assert error.value.code == "broken_image"


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("big.png", image_bytes("PNG", (300, 300))))
    assert error.value.code == "too_large"
    assert "the limit is 100\xa0bytes" in error.value.messages[0]


def test_sniff_reads_the_magic_bytes():
    assert [sniff(image_bytes(f)) for f in ("PNG", "JPEG", "WEBP")] == ["PNG", "JPEG", "WEBP"]
    assert sniff(b"<svg></svg>") == "SVG"
    assert sniff(b"GIF89a") is None


def test_file_names_are_sanitised_and_get_the_real_extension():
    png = image_bytes("PNG")
    assert sanitised_name("../../etc/Évènement Logo (final).PNG", content_head=png) == "evenement-logo-final.png"
    assert sanitised_name("photo.jpeg.exe", content_head=image_bytes("JPEG")) == "photo-jpeg.jpg"
    assert sanitised_name("..\\..\\x.webp", content_head=image_bytes("WEBP")) == "x.webp"


def test_the_company_logo_field_refuses_html_before_anything_is_stored(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    company = factories.CompanyFactory()
    company.logo = upload("logo.png", b"<html>not an image</html>")
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert list(error.value.message_dict) == ["logo"]
    assert list(tmp_path.rglob("*")) == []


def test_a_release_image_is_stored_under_a_clean_name(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    release = factories.ReleaseFactory()
    image = ReleaseImage(release=release, alt_text="A chart", image=upload("Chart <1>.PNG", image_bytes("PNG")))
    image.full_clean()
    image.save()
    assert image.image.name.startswith("release-images/")
    assert image.image.name.endswith("/chart-1.png")


def test_the_admin_refuses_an_html_logo_with_the_plain_message(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    company = factories.CompanyFactory()
    client.force_login(factories.UserFactory(username="root", is_superuser=True))
    url = reverse("admin:releases_company_change", args=[company.pk])
    data = {
        "legal_name": company.legal_name,
        "short_name": company.short_name,
        "slug": company.slug,
        "city": company.city,
        "country": company.country,
        "time_zone": company.time_zone,
        "logo": upload("logo.png", b"<html><body>hello</body></html>"),
        "listings-TOTAL_FORMS": 0,
        "listings-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "“logo.png” is not a PNG, JPEG or WebP image, whatever its name says. "
        "Open it in an image editor and export it as PNG or JPEG."
    ]
    assert Company.objects.get(pk=company.pk).logo.name == ""
    assert list(tmp_path.rglob("*")) == []
