from django.apps import AppConfig


class WasteConfig(AppConfig):
    name = "klantocratie.sources.waste"
    label = "source_waste"

    def ready(self) -> None:
        from . import connector, imports  # noqa: F401  (registers the connector and importer)
