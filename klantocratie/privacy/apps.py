from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "klantocratie.privacy"
    label = "privacy"
    verbose_name = "Privacy: verwerkingen, autorisaties, keuzes en logboek"
