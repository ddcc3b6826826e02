"""Load the public signal-rule catalogue of a pack (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.signals.packs import SignalPackError, load_signal_rules


class Command(BaseCommand):
    help = "Load the signal teams and rules from a pack's signals/ folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="The pack's signals/ folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_signal_rules(options["folder"])
        except SignalPackError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError("De signaleringsregels zijn niet geladen.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.teams} teams; regels: {len(summary.loaded)} geladen, "
                f"{len(summary.unchanged)} ongewijzigd."
            )
        )
