from django.core.management.base import BaseCommand

from klantocratie.connectors.services import deliver_pending


class Command(BaseCommand):
    help = "Retry queued changes to sources that are due (run by Celery beat every 30 s)."

    def handle(self, *args: object, **options: object) -> None:
        counts = deliver_pending()
        self.stdout.write(
            f"verwerkt: {counts['delivered']}, geweigerd: {counts['rejected']}, "
            f"wacht nog: {counts['pending']}"
        )
