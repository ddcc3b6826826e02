from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "klantocratie.sources.housing"
    label = "source_housing"

    def ready(self) -> None:
        from . import connector, imports  # noqa: F401  (registers the connector and importer)
