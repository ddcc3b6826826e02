import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from klantocratie.privacy.errors import GateError
from klantocratie.trends import services


class Command(BaseCommand):
    help = (
        "Extract a beleidsanalyse snapshot through the privacy gate, compute the "
        "neighbourhood trends with small-cell suppression, and publish them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--requested-by",
            default=getpass.getuser(),
            help="Who asks for the snapshot, for its record (default: the operating-system user).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["no_progress"]
        with (
            tqdm(unit="feiten", desc="Feiten", disable=quiet, file=self.stderr) as facts_bar,
            tqdm(unit="blokken", desc="Afscherming", disable=quiet, file=self.stderr) as bar,
        ):

            def extracted(facts: int) -> None:
                facts_bar.update(facts - facts_bar.n)

            def protected(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                run = services.refresh_from_sources(
                    options["requested_by"], on_extracted=extracted, on_progress=protected
                )
            except GateError as error:
                raise CommandError(f"De gegevens konden niet worden opgehaald: {error}") from None
        cells = run.cells.count()
        hidden = run.cells.filter(count__isnull=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Buurttrends per {run.reference_date:%d-%m-%Y}: {cells} cellen "
                f"({hidden} afgeschermd, k = {run.min_cell}), {run.spikes.count()} opvallende "
                f"stijgingen; snapshot {run.snapshot_uuid}."
            )
        )
