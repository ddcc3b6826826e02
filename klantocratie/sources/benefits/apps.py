from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "klantocratie.sources.benefits"
    label = "source_benefits"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
