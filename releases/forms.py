"""Forms of the editorial admin: they validate and shape input; saving goes through `releases.services`."""

from __future__ import annotations

from django import forms

from .validators import validate_image_upload


class SafeImageField(forms.ImageField):
    """An image upload judged by its bytes first, so a refusal says what is wrong in plain words."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data)
        return super().to_python(data)
