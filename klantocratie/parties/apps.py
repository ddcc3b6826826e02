from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "klantocratie.parties"
    label = "parties"
    verbose_name = "Partijen: personen en organisaties"
