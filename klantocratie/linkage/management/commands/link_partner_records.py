"""Link a source's partner records that carry no (known) BSN to persons."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.linkage.services import run_linkage
from klantocratie.privacy.errors import GateError
from klantocratie.registry.models import Source


class Command(BaseCommand):
    help = (
        "Link the partner records of one source (or all) that have no link yet: on the "
        "delivered BSN, else by the source's trained model, through the privacy gate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="*", help="Source code(s); all with records if none.")
        parser.add_argument(
            "--retrain", action="store_true", help="Train a new model version first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_records = Source.objects.filter(partner_records__isnull=False).distinct()
        sources = list(with_records)
        if options["source"]:
            sources = list(Source.objects.filter(code__in=options["source"]))
            unknown = sorted(set(options["source"]) - {source.code for source in sources})
            if unknown:
                raise CommandError(f"Onbekende bron: {', '.join(unknown)}.")
        if not sources:
            self.stdout.write("Er zijn geen partnerrecords om te koppelen.")
            return
        quiet = options["verbosity"] == 0
        for source in sources:
            try:
                run = run_linkage(
                    source,
                    retrain=options["retrain"],
                    on_progress=None if quiet else (lambda m: self.stderr.write(f"  {m}")),
                )
            except (GateError, ValidationError) as error:
                raise CommandError(f"{source.code}: {error}") from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"{run.source}: {run.records} records vergeleken met {run.persons} personen "
                    f"(model {run.model_version}{', nieuw getraind' if run.trained else ''}); "
                    f"{run.by_bsn} op BSN, {run.automatic} automatisch, {run.review} ter "
                    f"beoordeling, {run.unlinked} niet gekoppeld; {run.seconds:.1f} s."
                )
            )
