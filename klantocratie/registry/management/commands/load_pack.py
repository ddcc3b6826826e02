from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.privacy.packs import ChoicePackError, load_choice_purposes
from klantocratie.registry.packs import PackError, load_pack


class Command(BaseCommand):
    help = "Validate a configuration pack (a folder of YAML files) and load it in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="Folder with organisations.yaml, sources.yaml, elements.yaml, …"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_pack(options["path"])
        except PackError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Pack not loaded: {len(error.problems)} problem(s); nothing was written."
            ) from None
        counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Pack loaded: {counts}."))
        # The choices residents can make are described against the register just loaded.
        try:
            purposes = load_choice_purposes(options["path"])
        except ChoicePackError as error:
            self.stderr.write(str(error))
            raise CommandError(
                "The register is loaded, but its privacy choices are not: fix "
                "privacy-choices.yaml and load the pack again."
            ) from None
        self.stdout.write(f"Privacy choices: {', '.join(purposes.loaded) or 'none'}.")
        if summary.revoked_grants:
            self.stdout.write(
                f"{summary.revoked_grants} grant(s) no longer in the pack ended as of yesterday."
            )
