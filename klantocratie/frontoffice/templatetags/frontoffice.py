"""Small display helpers of the desk's templates."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def dutch_date(value: Any) -> str:
    """'2026-11-27' -> '27-11-2026'; anything else as it is, nothing as a dash."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}-{value[5:7]}-{value[:4]}"
    return str(value) if value else "—"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")
