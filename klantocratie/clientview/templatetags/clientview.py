"""Render source values generically: sources return plain JSON, the view shows it readably."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _scalar(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    return str(value)


@register.simple_tag
def render_value(value: Any) -> SafeString:
    if value is None or value == [] or value == {}:
        return format_html('<span class="empty">Geen gegevens</span>')
    if isinstance(value, dict):
        rows = format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((_label(k), _scalar(v)) for k, v in value.items())
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
                            "", "<td>{}</td>", ((_scalar(item.get(c)),) for c in columns)
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
