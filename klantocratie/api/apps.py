from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "klantocratie.api"
    label = "api"
    verbose_name = "REST API"
