from typing import Any

from django.core.management.base import BaseCommand

from klantocratie.privacy.models import LogChainHead


class Command(BaseCommand):
    help = "Print the chain head as SEQUENCE:HASH, to keep outside the database as an anchor."

    def handle(self, *args: Any, **options: Any) -> None:
        head = LogChainHead.objects.filter(singleton=1).first()
        if head is None:
            self.stdout.write("0:" + "0" * 64)
        else:
            self.stdout.write(f"{head.last_sequence}:{head.last_hash}")
