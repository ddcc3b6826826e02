from django.apps import AppConfig


class CasestatusConfig(AppConfig):
    name = "klantocratie.sources.casestatus"
    label = "source_casestatus"

    def ready(self) -> None:
        from . import connector, feed  # noqa: F401  (registers the connector and feed)
