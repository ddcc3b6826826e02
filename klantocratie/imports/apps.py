from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "klantocratie.imports"
    label = "imports"
    verbose_name = "Import van partnerbestanden"
