from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "klantocratie.analytics"
    verbose_name = "Analytische momentopnamen"
