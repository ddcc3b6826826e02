from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "klantocratie.sources.population"
    label = "source_population"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
