"""Forms of the editorial admin: they validate and shape input; saving goes through `releases.services`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import models, services
from .validators import validate_image_upload


class SafeImageField(forms.ImageField):
    """An image upload judged by its bytes first, so a refusal says what is wrong in plain words."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data)
        return super().to_python(data)


class ReleaseForm(forms.ModelForm):
    """Carries the version the writer opened, so a save over someone else's is refused."""

    expected_version = forms.IntegerField(label=_("version you opened"), widget=forms.HiddenInput, required=False)

    class Meta:
        model = models.Release
        fields = sorted(services.EDITABLE_FIELDS - {"translation_group"})
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField headline-input", "autocomplete": "off"}),
            "subheadline": forms.TextInput(attrs={"class": "vLargeTextField", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = models.Release.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            opened = cleaned.get("expected_version")
            if opened is None or opened != current:
                raise ValidationError(
                    _(
                        "Someone else saved this release since you opened it (version %(current)s is current, you "
                        "had %(yours)s). Reload to see their changes; nothing was overwritten."
                    )
                    % {"current": current, "yours": opened},
                    code="stale",
                )
        return cleaned


class OrderedInlineFormSet(BaseInlineFormSet):
    """The release's ordered parts: the writer's order is the order of the position values on the form.

    Saving never goes through `save()`: the admin hands `value()` to `services.release_edit` as the
    part named `part`, and the service renumbers the positions and records the change.
    """

    part: str = ""  # the keyword of `release_edit` this formset fills
    item_field: str = ""  # the chosen part (block, disclaimer, contact); empty for references and images

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # People count from 1: a part stored at position 0 shows as 1 (only the order matters to the service).
        if self.item_field and form.instance.pk is not None and "position" in form.fields:
            form.initial["position"] = form.instance.position + 1
        return form

    def kept_forms(self) -> list[forms.Form]:
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            if form.cleaned_data
        ]
        return [
            form for _i, form in sorted(kept, key=lambda pair: (pair[1].cleaned_data.get("position") or 0, pair[0]))
        ]

    def value(self) -> list:
        """The part as `release_edit` takes it, in the writer's order (None for a row whose choice is not one:
        a preview composes an invalid form as far as it goes)."""
        return [form.cleaned_data.get(self.item_field) for form in self.kept_forms()]

    def validate_unique(self):
        # Positions are only an order here (the service renumbers them); duplicates are checked in clean().
        return

    def clean(self):
        super().clean()
        if any(self.errors) or not self.item_field:
            return
        seen = set()
        company_id = getattr(self.instance, "company_id", None)
        for form in self.kept_forms():
            item = form.cleaned_data.get(self.item_field)
            if item is None:
                continue
            if item.pk in seen:
                raise ValidationError(_("“%(item)s” is listed twice. List each one once.") % {"item": item})
            seen.add(item.pk)
            owner = getattr(item, "company_id", None)
            if owner is not None and company_id is not None and owner != company_id:
                raise ValidationError(
                    _("“%(item)s” belongs to another company. Choose one of %(company)s.")
                    % {"item": item, "company": self.instance.company}
                )


class ReferenceFormSet(OrderedInlineFormSet):
    part = "references"

    def value(self) -> list[dict]:
        keys = ("citation", "url", "accessed_on", "accessed_label")
        return [
            {k: form.cleaned_data.get(k) or ("" if k != "accessed_on" else None) for k in keys}
            for form in self.kept_forms()
            if form.cleaned_data.get("citation")
        ]


class TopicFormSet(OrderedInlineFormSet):
    part = "topics"
    item_field = "block"


class DisclaimerFormSet(OrderedInlineFormSet):
    part = "disclaimers"
    item_field = "disclaimer"


class ContactFormSet(OrderedInlineFormSet):
    part = "contacts"
    item_field = "contact"


class ImageFormSet(OrderedInlineFormSet):
    part = "images"

    def value(self) -> list[dict]:
        return [
            {
                "id": form.instance.pk,
                "file": form.cleaned_data.get("image") if "image" in form.changed_data else None,
                "alt_text": form.cleaned_data.get("alt_text") or "",
                "caption": form.cleaned_data.get("caption") or "",
            }
            for form in self.kept_forms()
        ]


def form_parts(formsets, *, changed_only: bool = False) -> dict[str, list]:
    """The release's parts as the form has them, keyed as `services.release_edit` takes them."""
    return {
        formset.part: formset.value()
        for formset in formsets
        if isinstance(formset, OrderedInlineFormSet) and not (changed_only and not formset.has_changed())
    }


class NoUniqueCheckForm(forms.ModelForm):
    """A row of an ordered inline: positions may collide while the writer reorders.

    The service renumbers the rows and the formset refuses a part listed twice, so the model's
    unique constraints (which all involve the release) and the position are not checked row by row.
    """

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "release", "position"}

    def validate_unique(self):
        return
