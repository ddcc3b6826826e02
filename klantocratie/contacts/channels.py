"""Channels from a pack's channels.yaml, on top of the standard ones a migration seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Channel


@transaction.atomic
def load_channels(pack_dir: Path) -> int:
    """Create or update the channels in ``channels.yaml`` of a pack; returns their number.

    A pack without the file keeps the standard channels. Every entry is validated before
    anything is written.
    """
    file = pack_dir / "channels.yaml"
    if not file.exists():
        return 0
    entries: list[dict[str, Any]] = (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get(
        "channels", []
    )
    problems = [
        f"channels.yaml, entry {index}: 'code' and 'name' are required"
        for index, entry in enumerate(entries, start=1)
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name")
    ]
    if problems:
        raise ValidationError(problems)
    for order, entry in enumerate(entries, start=1):
        Channel.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "active": entry.get("active", True),
                "display_order": entry.get("display_order", order * 10),
            },
        )
    return len(entries)
