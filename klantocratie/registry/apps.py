from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "klantocratie.registry"
    label = "registry"
    verbose_name = "Registratie: organisaties, bronnen en gegevens"
