from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "klantocratie.contacts"
    label = "contacts"
    verbose_name = "Klantcontacten"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers the connector)
