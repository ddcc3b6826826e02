"""Our Klantinteracties endpoints expose only fields of the official spec, with its types.

Each of our schemas is compared with the official schema of the same name (request
variants with the resource itself): every property we expose must exist there, with the
same type and format, enum values the spec allows, and null only where the spec allows
it; nested objects and arrays are compared the same way, recursively.
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator

SPEC = Path(__file__).resolve().parent.parent / "support" / "openapi" / "klantinteracties.yaml"
IMPLEMENTED = [
    "Klantcontact",
    "Betrokkene",
    "Onderwerpobject",
    "Bijlage",
    "InterneTaak",
    "Actor",
    "DigitaalAdres",
    "Partij",
    "MaakKlantcontact",
]
PATHS = [
    "klantcontacten",
    "betrokkenen",
    "onderwerpobjecten",
    "bijlagen",
    "internetaken",
    "actoren",
    "digitaleadressen",
    "partijen",
]


class Shape:
    """A schema node with references, allOf and oneOf resolved into one view."""

    def __init__(self, spec: dict[str, Any], node: dict[str, Any]) -> None:
        self.types: set[str] = set()
        self.formats: set[str] = set()
        self.enum: set[Any] | None = None
        self.nullable = False
        self.properties: dict[str, dict[str, Any]] = {}
        self.items: dict[str, Any] | None = None
        self._spec = spec
        self._absorb(node)

    def _absorb(self, node: dict[str, Any]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            self._absorb(self._spec["components"]["schemas"][name])
        self.nullable |= bool(node.get("nullable"))
        for part in node.get("allOf", []) + node.get("oneOf", []) + node.get("anyOf", []):
            self._absorb(part)
        if "type" in node:
            self.types.add(node["type"])
        if "format" in node:
            self.formats.add(node["format"])
        if "enum" in node:
            values = {v for v in node["enum"] if v is not None}
            self.enum = values if self.enum is None else self.enum | values
        if node.get("properties"):
            self.types.add("object")
            self.properties.update(node["properties"])
        if "items" in node:
            self.items = node["items"]

    def spawn(self, node: dict[str, Any]) -> "Shape":
        return Shape(self._spec, node)


def incompatibilities(ours: Shape, official: Shape, where: str) -> list[str]:
    problems: list[str] = []
    if ours.nullable and not official.nullable:
        problems.append(f"{where}: nullable here, not in the spec")
    if ours.types - {"object"} and official.types and not ours.types & official.types:
        problems.append(f"{where}: type {ours.types} where the spec has {official.types}")
    if official.formats and ours.formats != official.formats:
        problems.append(f"{where}: format {ours.formats} where the spec has {official.formats}")
    if ours.enum is not None and official.enum is not None and not ours.enum <= official.enum:
        problems.append(f"{where}: values {sorted(ours.enum - official.enum)} not in the spec")
    if ours.properties:
        if not official.properties:
            problems.append(f"{where}: an object where the spec has none")
        for name, node in ours.properties.items():
            if name not in official.properties:
                problems.append(f"{where}.{name}: not in the spec")
                continue
            problems += incompatibilities(
                ours.spawn(node), official.spawn(official.properties[name]), f"{where}.{name}"
            )
    if ours.items is not None:
        if official.items is None:
            problems.append(f"{where}: an array where the spec has none")
        else:
            problems += incompatibilities(
                ours.spawn(ours.items), official.spawn(official.items), f"{where}[]"
            )
    return problems


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[return-value]


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_every_exposed_field_is_in_the_official_schema(
    ours: dict[str, Any], official: dict[str, Any], name: str
) -> None:
    compared = [n for n in (name, f"{name}Request") if n in ours["components"]["schemas"]]
    assert compared, f"{name} is not in our schema"
    for our_name in compared:
        ours_shape = Shape(ours, {"$ref": f"#/components/schemas/{our_name}"})
        assert ours_shape.properties, our_name
        official_shape = Shape(official, {"$ref": f"#/components/schemas/{name}"})
        assert incompatibilities(ours_shape, official_shape, our_name) == []


@pytest.mark.parametrize("resource", PATHS)
def test_paths_and_list_filters_are_those_of_the_spec(
    ours: dict[str, Any], official: dict[str, Any], resource: str
) -> None:
    prefix = "/api/klantinteracties/v1"
    assert f"{prefix}/{resource}" in ours["paths"]
    assert f"{prefix}/{resource}/{{uuid}}" in ours["paths"]
    our_parameters = {p["name"] for p in ours["paths"][f"{prefix}/{resource}"]["get"]["parameters"]}
    spec_parameters = {p["name"] for p in official["paths"][f"/{resource}"]["get"]["parameters"]}
    assert our_parameters - spec_parameters == set()
    assert f"{prefix}/maak-klantcontact" in ours["paths"]


def test_the_comparison_notices_a_wrong_field(official: dict[str, Any]) -> None:
    wrong = {
        "components": {
            "schemas": {
                "Klantcontact": {
                    "type": "object",
                    "properties": {
                        "kanaal": {"type": "integer"},
                        "onderwerpen": {"type": "string"},
                        "plaatsgevondenOp": {"type": "string"},
                    },
                }
            }
        }
    }
    problems = incompatibilities(
        Shape(wrong, {"$ref": "#/components/schemas/Klantcontact"}),
        Shape(official, {"$ref": "#/components/schemas/Klantcontact"}),
        "Klantcontact",
    )
    assert len(problems) == 3
