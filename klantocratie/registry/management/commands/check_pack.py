from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.registry.packs import check_loaded, check_pack


class Command(BaseCommand):
    help = (
        "List violations in a configuration pack: with PATH, in its files (e.g. an element "
        "with two sources); without, in the configuration loaded in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="Pack folder; omit to check the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = (
            [str(p) for p in check_pack(options["path"])] if options["path"] else check_loaded()
        )
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} violation(s).")
        self.stdout.write(self.style.SUCCESS("No violations."))
