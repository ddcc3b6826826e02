from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from klantocratie.knowledge.services import embed_all, rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the knowledge search index and fill the sentence-embedding cache."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-embeddings", action="store_true", help="Leave embeddings to the first searches."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_search_index(progress=self.stdout.write)
        if not options["no_embeddings"]:
            embed_all(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Knowledge index rebuilt: {count} documents."))
