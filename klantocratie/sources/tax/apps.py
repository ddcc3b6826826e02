from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "klantocratie.sources.tax"
    label = "source_tax"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
