"""Render source values generically: sources return plain JSON, the view shows it readably."""

import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Keys whose numbers are euro amounts in the sources' documented shapes.
_MONEY_KEYS = ("bedrag", "huur", "inkomen")


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _euro(amount: float) -> str:
    text = f"{Decimal(str(amount)):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def _scalar(value: Any, key: str = "") -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if isinstance(value, int | float) and any(part in key for part in _MONEY_KEYS):
        return _euro(value)
    if isinstance(value, str) and (match := _ISO_DATE.match(value)):
        year, month, day = match.groups()
        return f"{day}-{month}-{year}"
    if isinstance(value, list):
        return ", ".join(_inline(item) for item in value)
    if isinstance(value, dict):
        return _inline(value)
    return str(value)


def _inline(item: Any) -> str:
    if isinstance(item, dict):
        return " ".join(_scalar(v, k) for k, v in item.items() if v not in (None, ""))
    return _scalar(item)


@register.simple_tag
def render_value(value: Any) -> SafeString:
    if value is None or value == [] or value == {}:
        return mark_safe('<span class="empty">Geen gegevens</span>')
    if isinstance(value, dict):
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((_label(k), _scalar(v, k)) for k, v in value.items())
        )
        return format_html('<dl class="value-dict">{}</dl>', rows)
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            columns = list(dict.fromkeys(k for item in value for k in item))
            head = format_html_join("", '<th scope="col">{}</th>', ((_label(c),) for c in columns))
            body = format_html_join(
                "",
                "<tr>{}</tr>",
                (
                    (
                        format_html_join(
                            "", "<td>{}</td>", ((_scalar(item.get(c), c),) for c in columns)
                        ),
                    )
                    for item in value
                ),
            )
            return format_html(
                '<table class="value-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
                head,
                body,
            )
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_scalar(v),) for v in value))
        )
    return format_html("{}", _scalar(value))
