"""The public subscription form."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Release
from . import services


def category_choices():
    return [(services.ALL, _("All releases")), *Release.Category.choices]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"required": _("Enter your email address.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Releases"),
        choices=category_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose all releases or at least one kind.")},
    )
    consent = forms.BooleanField(
        required=True, error_messages={"required": _("Tick the box to agree: we send nothing without it.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        self.fields["consent"].label = services.consent_text(language)
        self.fields["languages"].initial = [language if language in dict(settings.LANGUAGES) else "en"]
        self.fields["categories"].initial = [services.ALL]
