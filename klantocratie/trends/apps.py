from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "klantocratie.trends"
    label = "trends"
    verbose_name = "Buurttrends"
