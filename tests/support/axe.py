"""Accessibility checks in the browser tests: axe-core (from npm) on every page.

``npm ci`` (run by scripts/test.sh) puts axe-core in node_modules; the script is
injected into the page and run with the WCAG 2.1 A and AA rules. Serious and critical
violations fail the test, each named with the rule, its help text and the offending
elements.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


# A click on a link returns before the next page has loaded; injecting then meets a
# document without a head, or a context that the navigation destroys mid-run.
RETRIES_DURING_NAVIGATION = 2


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 AA violations on the page once it has loaded."""
    if not AXE_SCRIPT.exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs axe-core: run `npm ci` (scripts/test.sh does)")
        pytest.skip("axe-core is not installed (npm ci)")
    for _ in range(RETRIES_DURING_NAVIGATION):
        try:
            return _run_axe(page)
        except PlaywrightError:
            page.wait_for_timeout(200)
    return _run_axe(page)


def _run_axe(page: Any) -> list[dict[str, Any]]:
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + json.dumps([n["target"] for n in v["nodes"]][:5])
        for v in violations
    )
