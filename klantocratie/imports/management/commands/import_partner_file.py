from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from klantocratie.imports.formats import FORMATS
from klantocratie.imports.selectors import importable_sources
from klantocratie.imports.services import import_file
from klantocratie.linkage.services import run_linkage
from klantocratie.privacy.errors import GateError

FIRST_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Load a partner file (CSV or JSON Lines) into its source. Bad rows go to a rejects "
        "file; the same file a second time writes nothing. Exits with status 1 when the "
        "file is refused, empty, or rejected as a whole (--all-or-nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Code of the source, e.g. huuradministratie.")
        parser.add_argument("file", type=Path, help="The partner file.")
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Load nothing when any row is bad (one transaction).",
        )
        parser.add_argument(
            "--encoding", help="The file's encoding (default: UTF-8, or detected Windows-1252)."
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="csv or jsonl (default: from the file name)."
        )
        parser.add_argument("--rejects", type=Path, help="Where to write the rejected rows.")
        parser.add_argument(
            "--requested-by", default="beheer", help="Who asked for the import, for the record."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--no-link",
            action="store_true",
            help="Do not link the new records to persons now (link-partner-records later).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = importable_sources().filter(code=options["source"]).first()
        if source is None:
            codes = ", ".join(importable_sources().values_list("code", flat=True))
            raise CommandError(
                f"Bron {options['source']!r} neemt geen bestanden aan; wel: {codes}."
            )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        with tqdm(
            unit=" regels",
            desc="Inlezen",
            file=self.stderr,
            disable=options["no_progress"] or options["verbosity"] == 0,
        ) as bar:

            def progress(read: int, expected: int) -> None:
                bar.total = max(expected, read)
                bar.update(read - bar.n)

            batch = import_file(
                source,
                path,
                all_or_nothing=options["all_or_nothing"],
                requested_by=options["requested_by"],
                encoding=options["encoding"],
                file_format=options["format"],
                rejects_path=options["rejects"],
                on_progress=progress,
            )
        for notice in batch.notices:
            self.stdout.write(notice)
        for problem in batch.problems[:FIRST_PROBLEMS]:
            where = f"regel {problem['row']}" if problem["row"] else "bestand"
            field = f", {problem['field']}" if problem["field"] else ""
            self.stdout.write(f"{where}{field}: {problem['reason']}")
        if batch.problem_count > FIRST_PROBLEMS:
            self.stdout.write(f"… en nog {batch.problem_count - FIRST_PROBLEMS} problemen.")
        if batch.rejects_file:
            self.stdout.write(f"Afgekeurde regels: {batch.rejects_file}")
        summary = f"Import {batch.pk}: {batch.summary()}"
        if batch.refused:
            raise CommandError(summary)
        style = self.style.WARNING if batch.rejected else self.style.SUCCESS
        self.stdout.write(style(summary))
        if batch.created + batch.updated and not options["no_link"]:
            try:
                run = run_linkage(source)
            except (GateError, ValidationError) as error:
                # The records are in; linking can follow once the register allows it.
                self.stdout.write(self.style.WARNING(f"Niet gekoppeld: {error}"))
                return
            self.stdout.write(
                f"Koppeling: {run.by_bsn} op BSN, {run.automatic} automatisch, "
                f"{run.review} ter beoordeling, {run.unlinked} niet gekoppeld."
            )
