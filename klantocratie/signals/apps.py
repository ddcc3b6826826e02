from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "klantocratie.signals"
    verbose_name = "Proactieve signalen"

    def ready(self) -> None:
        from . import connector, feed  # noqa: F401  (registers the connector and event feed)
