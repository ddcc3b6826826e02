from django.apps import AppConfig


class ContactdetailsConfig(AppConfig):
    name = "klantocratie.sources.contactdetails"
    label = "source_contactdetails"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
