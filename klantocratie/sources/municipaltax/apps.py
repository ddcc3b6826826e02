from django.apps import AppConfig


class MunicipaltaxConfig(AppConfig):
    name = "klantocratie.sources.municipaltax"
    label = "source_municipaltax"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
