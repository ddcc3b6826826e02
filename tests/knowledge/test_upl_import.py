from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from klantocratie.knowledge.models import DocumentKind, Product, SearchDocument
from klantocratie.knowledge.packs import KnowledgePackError, load_knowledge
from klantocratie.knowledge.services import UPL_FILE, UplImportError, import_upl
from tests.knowledge.conftest import PACK

pytestmark = pytest.mark.django_db


def _copy_with(tmp_path: Path, line_number: int, replace: tuple[str, str]) -> Path:
    lines = UPL_FILE.read_text(encoding="utf-8").splitlines()
    old, new = replace
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    target = tmp_path / "UPL-actueel.csv"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_imports_all_1121_rows_of_the_national_list() -> None:
    summary = import_upl()
    assert summary.rows == 1121
    # A product is listed once per legal basis: the rows hold 1,017 distinct products.
    assert summary.created == Product.objects.count() == 1017
    grafonderhoud = Product.objects.get(name="grafonderhoud")
    assert len(grafonderhoud.legal_bases) == 2
    assert grafonderhoud.by_municipality and grafonderhoud.for_residents
    assert not grafonderhoud.by_national_government
    assert Product.objects.exclude(sdg_areas="").exists()
    assert SearchDocument.objects.filter(kind=DocumentKind.PRODUCT).count() == 1017


def test_importing_twice_changes_nothing() -> None:
    import_upl()
    before = dict(Product.objects.values_list("uri", "uuid"))
    again = import_upl()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1017)
    assert dict(Product.objects.values_list("uri", "uuid")) == before


def test_a_changed_row_updates_its_product(tmp_path: Path) -> None:
    import_upl()
    changed = _copy_with(tmp_path, 3, (",,,,X,X,", ",,,X,X,X,"))
    summary = import_upl(changed, sdg_path=None)
    assert summary.updated >= 1
    assert Product.objects.get(name="aanleunwoning").by_water_board


@pytest.mark.parametrize(
    ("line", "replace", "message"),
    [
        (3, (",,,,X,X,", ",,,,Y,X,"), "regel 3, kolom Gemeente: verwacht 'X' of leeg"),
        (5, ("http://standaarden", "standaarden"), "regel 5, kolom URI"),
        (4, ("aanpassing zelfgebouwd vliegtuig melding", ""), "regel 4, kolom UniformeProductnaam"),
        (1, ("Grondslaglabel,", ""), "regel 1: kolom(men) ontbreken: Grondslaglabel"),
    ],
)
def test_a_malformed_file_names_file_line_and_column_and_imports_nothing(
    tmp_path: Path, line: int, replace: tuple[str, str], message: str
) -> None:
    broken = _copy_with(tmp_path, line, replace)
    with pytest.raises(UplImportError) as error:
        import_upl(broken, sdg_path=None)
    assert str(broken) in str(error.value)
    assert message in str(error.value)
    assert Product.objects.count() == 0


def test_the_command_reports_progress_and_fails_cleanly(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("import_upl")
    out = capsys.readouterr().out
    assert "1121 regels, 1017 producten" in out and "1017 new" in out
    with pytest.raises(CommandError, match="kan het bestand niet openen"):
        call_command("import_upl", "--file", str(tmp_path / "missing.csv"))


def test_a_knowledge_pack_needs_the_national_list_first() -> None:
    with pytest.raises(KnowledgePackError, match="import_upl"):
        load_knowledge(PACK)
