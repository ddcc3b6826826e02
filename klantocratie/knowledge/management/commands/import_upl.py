from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.knowledge.services import UPL_FILE, UPL_SDG_FILE, UplImportError, import_upl


class Command(BaseCommand):
    help = "Import the national product list (UPL) and its SDG information areas; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(UPL_FILE), help="UPL-actueel.csv")
        parser.add_argument(
            "--sdg-file", default=str(UPL_SDG_FILE), help="UPL-SDG-Informatiegebied.csv"
        )
        parser.add_argument("--no-sdg", action="store_true", help="Skip the SDG file.")

    def handle(self, *args: Any, **options: Any) -> None:
        sdg = None if options["no_sdg"] else Path(options["sdg_file"])
        progress = self.stdout.write if options["verbosity"] > 0 else None
        try:
            summary = import_upl(Path(options["file"]), sdg, progress=progress)
        except UplImportError as error:
            raise CommandError(f"{error} Er is niets geïmporteerd.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"UPL: {summary.products} products from {summary.rows} rows "
                f"({summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged)."
            )
        )
