"""Run the signal rules in force: one snapshot per activity through the gate."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from klantocratie.signals.selectors import rules_in_force
from klantocratie.signals.services import run_rules


class Command(BaseCommand):
    help = "Evaluate the public signal rules in force and record new signals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rule", action="append", default=[], help="Only this rule code (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rules = list(rules_in_force())
        if options["rule"]:
            unknown = sorted(set(options["rule"]) - {rule.code for rule in rules})
            if unknown:
                self.stderr.write(f"Geen geldende regel: {', '.join(unknown)}.")
                return
            rules = [rule for rule in rules if rule.code in options["rule"]]
        if not rules:
            self.stdout.write("Er zijn geen geldende signaleringsregels.")
            return
        with tqdm(unit=" stappen", disable=options["verbosity"] == 0) as bar:

            def progress(step: str, count: int) -> None:
                bar.set_description(step)
                bar.update(1)

            run = run_rules(triggered_by="run_signals", rules=rules, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rules)} regels geëvalueerd: {run.fired} keer voldaan, "
                f"{run.created} nieuwe signalen."
            )
        )
