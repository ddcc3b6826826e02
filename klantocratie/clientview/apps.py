from django.apps import AppConfig


class ClientviewConfig(AppConfig):
    name = "klantocratie.clientview"
    label = "clientview"
    verbose_name = "Integraal klantbeeld"
