from typing import Any

from django import template

register = template.Library()


@register.filter
def as_dutch(value: Any) -> str:
    """A case fact as a Dutch reader (and the form that reads it back) expects it."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
