from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from klantocratie.privacy import log
from klantocratie.privacy.models import ProcessingLogRecord


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the processing log; report every changed, removed or "
        "inserted record. Exits with status 1 when the log is not intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            metavar="SEQUENCE:HASH",
            help="An externally kept head (from 'klantocratie log-head') that must still match.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = None
        if options["anchor"]:
            sequence, _, digest = options["anchor"].partition(":")
            if not sequence.isdigit() or len(digest) != 64:
                raise CommandError("--anchor: expected SEQUENCE:HASH, e.g. 1200:3fa9…(64 hex)")
            anchor = (int(sequence), digest)
        total = ProcessingLogRecord.objects.count()
        with tqdm(
            total=total,
            unit="rec",
            disable=options["no_progress"] or total < 50_000,
            file=self.stderr,
        ) as bar:
            done = 0

            def progress(checked: int) -> None:
                nonlocal done
                bar.update(checked - done)
                done = checked

            result = log.verify(expected_head=anchor, on_progress=progress)
            bar.update(result.checked - done)
        if result.intact:
            self.stdout.write(self.style.SUCCESS(f"Log intact: {result.checked} records verified."))
            return
        for problem in result.problems:
            self.stdout.write(self.style.ERROR(problem))
        raise CommandError(
            f"Log NOT intact: {len(result.problems)} problem(s) in {result.checked} records."
        )
