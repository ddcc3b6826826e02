"""Form fields whose input names its description and errors, for screen readers."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described_widget(field: forms.BoundField) -> SafeString:
    """The field's input with aria-describedby (description, errors) and aria-invalid.

    The ids match the ones portal/_field.html gives the description and the error.
    """
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-uitleg")
    attrs: dict[str, str | bool] = {}
    if field.errors:
        ids.append(f"{field.auto_id}-fout")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
