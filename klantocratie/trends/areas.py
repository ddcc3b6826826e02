"""CBS area codes and names: buurt (neighbourhood) and wijk (district).

A CBS buurt code is ``BU`` + municipality (4 digits) + wijk (2) + buurt (2); its wijk
is ``WK`` + the same municipality and wijk digits, so the hierarchy needs no table.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

BUURT_CODE = re.compile(r"^BU[0-9]{8}$")

# The demo municipality's areas. A real pack names its own; this is the one place that
# reads them, so pointing it at the pack's file is the only change that needs.
AREAS_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "almelo-cbs.json"


def wijk_of(buurt_code: str) -> str:
    return "WK" + buurt_code[2:8]


@cache
def area_names() -> dict[str, str]:
    """Names of the municipality's wijken and buurten by CBS code."""
    data = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    return {area["code"]: area["naam"] for area in [*data["wijken"], *data["buurten"]]}


def area_name(code: str) -> str:
    """The area's name, or its code when the pack does not name it."""
    return area_names().get(code, code)
