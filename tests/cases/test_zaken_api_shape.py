"""Our Zaken and Catalogi endpoints expose only fields of the official specs, with their types.

As for Klantinteracties (tests/contacts/test_api_shape.py): each of our schemas is compared
with the official one of the same name, recursively, on type, format, enum values and
null. The Rol of the spec carries `betrokkeneIdentificatie` in one variant per kind of
subject (a discriminator); all variants count. The klantocratie extensions are named
here and must be documented in docs/api.md.
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator

from tests.contacts.test_api_shape import Shape, incompatibilities

DATA = Path(__file__).resolve().parent / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ZAKEN = ["Zaak", "Status", "Resultaat", "Rol", "ZaakEigenschap"]
CATALOGI = ["ZaakType", "StatusType", "ResultaatType", "RolType"]
ZAKEN_PATHS = ["zaken", "statussen", "resultaten", "rollen"]
CATALOGI_PATHS = ["zaaktypen", "statustypen", "resultaattypen", "roltypen"]
# Fields beyond the spec. A business's kvkNummer is one too, though the comparison
# cannot tell: the spec has the name, for a vestiging. All are described in docs/api.md.
EXTENSIONS = {"ZaakRequest.initiator"}
FILTER_EXTENSIONS = {"rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer"}
DOCUMENTED = {"initiator", "kvkNummer", *FILTER_EXTENSIONS}


class VariantShape(Shape):
    """A Shape that also takes in the variants a discriminator maps to.

    Variants repeat their base schema (allOf), so each reference is taken in once; a
    property that several variants define differently keeps all their definitions.
    """

    def __init__(self, spec: dict[str, Any], node: dict[str, Any]) -> None:
        self._seen: set[str] = set()
        super().__init__(spec, node)

    def _absorb(self, node: dict[str, Any]) -> None:
        if "$ref" in node:
            if node["$ref"] in self._seen:
                return
            self._seen.add(node["$ref"])
        before = dict(self.properties)
        super()._absorb(node)
        for name, definition in before.items():
            if self.properties[name] is not definition:
                self.properties[name] = {"anyOf": [definition, self.properties[name]]}
        for target in node.get("discriminator", {}).get("mapping", {}).values():
            self._absorb({"$ref": target})

    def spawn(self, node: dict[str, Any]) -> "VariantShape":
        return VariantShape(self._spec, node)


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    return {"zaken": _load("zaken"), "catalogi": _load("catalogi")}


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


def _problems(ours: dict[str, Any], official: dict[str, Any], name: str) -> list[str]:
    compared = [n for n in (name, f"{name}Request") if n in ours["components"]["schemas"]]
    assert compared, f"{name} is not in our schema"
    problems: list[str] = []
    for our_name in compared:
        ours_shape = VariantShape(ours, {"$ref": f"#/components/schemas/{our_name}"})
        assert ours_shape.properties, our_name
        official_shape = VariantShape(official, {"$ref": f"#/components/schemas/{name}"})
        problems += incompatibilities(ours_shape, official_shape, our_name)
    return problems


def _outside_extensions(problems: list[str]) -> list[str]:
    return [p for p in problems if p.split(":")[0] not in EXTENSIONS]


@pytest.mark.parametrize(
    ("api", "name"), [("zaken", n) for n in ZAKEN] + [("catalogi", n) for n in CATALOGI]
)
def test_every_exposed_field_is_in_the_official_schema(
    ours: dict[str, Any], specs: dict[str, dict[str, Any]], api: str, name: str
) -> None:
    assert _outside_extensions(_problems(ours, specs[api], name)) == []


def test_the_extensions_are_the_only_fields_beyond_the_spec_and_are_documented(
    ours: dict[str, Any], specs: dict[str, dict[str, Any]]
) -> None:
    beyond = {
        problem.split(":")[0]
        for name in ("Zaak", "Rol")
        for problem in _problems(ours, specs["zaken"], name)
    }
    assert beyond == EXTENSIONS
    documented = DOCS.read_text(encoding="utf-8")
    for extension in DOCUMENTED:
        assert f"`{extension}" in documented, extension


@pytest.mark.parametrize(
    ("api", "resource"),
    [("zaken", p) for p in ZAKEN_PATHS] + [("catalogi", p) for p in CATALOGI_PATHS],
)
def test_paths_and_list_filters_are_those_of_the_spec(
    ours: dict[str, Any], specs: dict[str, dict[str, Any]], api: str, resource: str
) -> None:
    prefix = f"/api/{api}/v1"
    assert f"{prefix}/{resource}" in ours["paths"]
    assert f"{prefix}/{resource}/{{uuid}}" in ours["paths"]
    ours_get = ours["paths"][f"{prefix}/{resource}"]["get"]
    our_parameters = {p["name"] for p in ours_get["parameters"]}
    spec_get = specs[api]["paths"][f"/{resource}"]["get"]
    spec_parameters = {p["name"] for p in spec_get["parameters"]}
    assert our_parameters - spec_parameters - FILTER_EXTENSIONS == set()


def test_zaakeigenschappen_are_nested_under_their_case(ours: dict[str, Any]) -> None:
    prefix = "/api/zaken/v1/zaken/{zaak_uuid}/zaakeigenschappen"
    assert prefix in ours["paths"] and f"{prefix}/{{uuid}}" in ours["paths"]


def test_the_comparison_takes_in_every_variant_of_a_rol(
    specs: dict[str, dict[str, Any]],
) -> None:
    rol = VariantShape(specs["zaken"], {"$ref": "#/components/schemas/Rol"})
    identification = rol.spawn(rol.properties["betrokkeneIdentificatie"])
    assert {"inpBsn", "innNnpId", "identificatie"} <= set(identification.properties)
    wrong = {
        "components": {
            "schemas": {
                "Rol": {
                    "type": "object",
                    "properties": {
                        "betrokkeneIdentificatie": {
                            "type": "object",
                            "properties": {
                                "inpBsn": {"type": "integer"},
                                "bsn": {"type": "string"},
                            },
                        }
                    },
                }
            }
        }
    }
    problems = incompatibilities(
        VariantShape(wrong, {"$ref": "#/components/schemas/Rol"}), rol, "Rol"
    )
    assert len(problems) == 2
