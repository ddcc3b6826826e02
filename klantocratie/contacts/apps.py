from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "klantocratie.contacts"
    label = "contacts"
    verbose_name = "Klantcontacten"
