from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.knowledge.packs import KnowledgePackError, load_knowledge


class Command(BaseCommand):
    help = "Load a knowledge pack folder (life events, answers, local variants) in one go."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Pack folder, e.g. packs/almelo/knowledge")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_knowledge(Path(options["path"]))
        except KnowledgePackError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError("The knowledge pack has problems; nothing was loaded.") from None
        self.stdout.write(
            self.style.SUCCESS(
                "Knowledge: " + ", ".join(f"{n} {k}" for k, n in summary.counts.items()) + "."
            )
        )
