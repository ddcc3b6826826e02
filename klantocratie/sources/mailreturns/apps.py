from django.apps import AppConfig


class MailreturnsConfig(AppConfig):
    name = "klantocratie.sources.mailreturns"
    label = "source_mailreturns"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
