from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.contacts.intake import import_mailbox
from klantocratie.privacy.errors import GateError
from klantocratie.privacy.gate import AccessContext


class Command(BaseCommand):
    help = (
        "Register the mail in a Maildir folder or mbox file as contacts (channel e-mail). "
        "Mail from unknown senders is reported, not registered; a second run skips mail "
        "already imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A Maildir folder (cur/, new/, tmp/) or an mbox file.")
        parser.add_argument(
            "--organisation", required=True, help="Code of the organisation whose mailbox it is."
        )
        parser.add_argument(
            "--actor", default="postkamer", help="Who registers the mail, for the log."
        )
        parser.add_argument("--role", default="kcc_agent", help="Role the import works in.")
        parser.add_argument(
            "--activity", default="kcc-dienstverlening", help="Processing activity code."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = AccessContext(
            actor=options["actor"],
            role=options["role"],
            organisation=options["organisation"],
            activity=options["activity"],
        )
        try:
            report = import_mailbox(ctx, Path(options["path"]))
        except (ValidationError, GateError) as error:
            message = error.message if isinstance(error, GateError) else "; ".join(error.messages)
            raise CommandError(message) from None
        for contact in report.registered:
            self.stdout.write(f"geregistreerd {contact.nummer}: {contact.subject}")
        for key, sender, reason in report.unmatched:
            self.stdout.write(f"niet gekoppeld {key} ({sender or 'onbekende afzender'}): {reason}")
        for key, sender, reason in report.failed:
            self.stderr.write(f"geweigerd {key} ({sender or 'onbekende afzender'}): {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.registered)} geregistreerd, {len(report.unmatched)} niet gekoppeld, "
                f"{len(report.failed)} geweigerd, {report.already_imported} al eerder ingelezen."
            )
        )
