from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from klantocratie.cases.demo import load_demo_cases
from klantocratie.cases.packs import CasePackError, load_case_types
from klantocratie.contacts.demo import load_demo_contacts
from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.contact_history import load_demo_contact_history
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, GeneratorError, generate_municipality
from klantocratie.demo.partner_files import load_demo_partner_files
from klantocratie.demo.portal_accounts import create_portal_demo_accounts
from klantocratie.knowledge.packs import load_demo_knowledge
from klantocratie.privacy.packs import ChoicePackError, load_choice_purposes
from klantocratie.registry.packs import PackError, load_pack
from klantocratie.signals.demo import load_demo_signals
from klantocratie.signals.packs import SignalPackError, load_signal_rules
from klantocratie.trends.services import refresh_from_sources


class Command(BaseCommand):
    help = "Load the demo municipality: the Almelo pack, generated residents and demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons", type=int, default=1000, help="Generated residents (1,000 to 1,000,000)."
        )
        parser.add_argument(
            "--seed", type=int, default=20261122, help="Seed; the same seed gives the same data."
        )
        parser.add_argument("--pack", default=str(settings.DEMO_PACK_DIR), help="Pack folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 4 <= options["persons"] <= 5_000_000:
            # The smallest demo is the demo resident's family of four.
            raise CommandError("--persons: give a number from 4 to 5,000,000.")
        pack = Path(options["pack"])
        try:
            summary = load_pack(pack)
        except PackError as error:
            self.stderr.write(str(error))
            raise CommandError("The demo pack has problems; nothing was loaded.") from None
        self.stdout.write(f"Pack: {', '.join(f'{n} {k}' for k, n in summary.counts.items())}.")
        try:
            purposes = load_choice_purposes(pack)
        except ChoicePackError as error:
            self.stderr.write(str(error))
            raise CommandError("The demo pack's privacy choices have problems.") from None
        self.stdout.write(f"Privacy choices: {', '.join(purposes.loaded)}.")
        try:
            counts = generate_municipality(
                persons=options["persons"], seed=options["seed"], progress=options["verbosity"] > 0
            )
        except GeneratorError as error:
            self.stdout.write(f"Demo data: {error}")
        else:
            self.stdout.write(f"Demo data: {', '.join(f'{n} {k}' for k, n in counts.items())}.")
        self.stdout.write(f"Knowledge: {load_demo_knowledge(pack)}.")
        accounts = create_demo_accounts(pack, DEMO_RESIDENT_BSN)
        portal_accounts = create_portal_demo_accounts(DEMO_RESIDENT_BSN)
        self.stdout.write(f"Personal page logins: {', '.join(portal_accounts)}.")
        self.stdout.write(f"Demo contacts: {load_demo_contacts(pack)} klantcontacten.")
        self.stdout.write(f"Contact history: {load_demo_contact_history()} klantcontacten.")
        try:
            case_types = load_case_types(pack / "cases")
        except CasePackError as error:
            self.stderr.write(str(error))
            raise CommandError(
                "The demo pack's case types have problems; no cases were loaded."
            ) from None
        self.stdout.write(
            f"Case types: {len(case_types.loaded)} loaded, {len(case_types.unchanged)} unchanged."
        )
        from klantocratie.portal.askonce.packs import FormPackError, load_request_forms

        try:
            forms = load_request_forms(pack / "forms")
        except FormPackError as error:
            self.stderr.write(str(error))
            raise CommandError("The demo pack's request forms have problems.") from None
        self.stdout.write(
            f"Request forms: {len(forms.loaded)} loaded, {len(forms.unchanged)} unchanged."
        )
        self.stdout.write(f"Demo cases: {load_demo_cases(pack)}.")
        # Before the signal rules run, so linked partner records count for their person.
        partner_files = load_demo_partner_files(settings.MEDIA_ROOT / "demo-partnerbestanden")
        self.stdout.write(f"Partner files: {partner_files}.")
        try:
            rules = load_signal_rules(pack / "signals")
        except SignalPackError as error:
            self.stderr.write(str(error))
            raise CommandError(
                "The demo pack's signal rules have problems; no signals were raised."
            ) from None
        self.stdout.write(
            f"Signal rules: {len(rules.loaded)} loaded, {len(rules.unchanged)} unchanged."
        )
        self.stdout.write(f"Demo signals: {load_demo_signals()}.")
        from klantocratie.participation.demo import load_demo_participation

        self.stdout.write(f"Participation: {load_demo_participation(pack)}.")
        from klantocratie.feedback.demo import load_demo_feedback

        self.stdout.write(f"Demo feedback: {load_demo_feedback()}.")
        trends = refresh_from_sources("load_demo")
        published = trends.cells.filter(count__isnull=False).count()
        self.stdout.write(
            f"Neighbourhood trends: {published} cells published of {trends.cells.count()}, "
            f"{trends.spikes.count()} spikes."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {accounts} demo accounts; demo resident BSN {DEMO_RESIDENT_BSN}."
            )
        )
