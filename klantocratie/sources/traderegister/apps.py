from django.apps import AppConfig


class TraderegisterConfig(AppConfig):
    name = "klantocratie.sources.traderegister"
    label = "source_traderegister"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
