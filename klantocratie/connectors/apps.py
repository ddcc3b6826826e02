from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "klantocratie.connectors"
    label = "connectors"
    verbose_name = "Koppelingen met bronnen"

    def ready(self) -> None:
        from . import brp  # noqa: F401  (registers the Haal Centraal BRP connector)
