from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "klantocratie.demo"
    label = "demo"
    verbose_name = "Demogemeente"
