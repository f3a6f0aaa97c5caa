"""Model fields that carry their own rules, so the admin, the API and scripts all get them."""

from django_prose_editor.fields import ProseEditorField

from .sanitize import EDITOR_EXTENSIONS, sanitize_html


class RichTextField(ProseEditorField):
    """Rich HTML, sanitised on validation and again on every save: nothing unclean is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(EDITOR_EXTENSIONS))
        kwargs["sanitize"] = sanitize_html
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("extensions", None)
        kwargs.pop("sanitize", None)
        return name, "releases.fields.RichTextField", args, kwargs
