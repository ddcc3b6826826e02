from django.apps import AppConfig


class FrontofficeConfig(AppConfig):
    name = "klantocratie.frontoffice"
    label = "frontoffice"
    verbose_name = "Balie"
