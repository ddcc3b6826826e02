from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "klantocratie.cases"
    label = "cases"
    verbose_name = "Zaken"

    def ready(self) -> None:
        from . import connector, notifications  # noqa: F401  (registers connector, subscribers)
