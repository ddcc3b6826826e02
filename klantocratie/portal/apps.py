from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "klantocratie.portal"
    verbose_name = "Persoonlijke pagina"
