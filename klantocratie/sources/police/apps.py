from django.apps import AppConfig


class PoliceConfig(AppConfig):
    name = "klantocratie.sources.police"
    label = "source_police"

    def ready(self) -> None:
        from . import connector, imports  # noqa: F401  (registers the connector and importer)
