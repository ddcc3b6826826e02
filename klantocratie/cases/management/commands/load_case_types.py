from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.cases.packs import CasePackError, load_case_types


class Command(BaseCommand):
    help = (
        "Load case types from a pack's cases/ folder. Every file is checked first; nothing "
        "is written if any problem is found. Published versions never change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The cases/ folder of a pack.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_case_types(Path(options["path"]))
        except CasePackError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) in the case types; nothing was loaded."
            ) from None
        for label in summary.loaded:
            self.stdout.write(f"loaded {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(summary.loaded)} case-type version(s) loaded, "
                f"{len(summary.unchanged)} unchanged."
            )
        )
