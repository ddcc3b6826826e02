from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "klantocratie.participation"
    verbose_name = "Meedenken"
