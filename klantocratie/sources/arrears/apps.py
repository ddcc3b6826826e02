from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "klantocratie.sources.arrears"
    label = "source_arrears"
    verbose_name = "Vroegsignalering: meldingen van betalingsachterstanden"

    def ready(self) -> None:
        from . import connector, feed, imports  # noqa: F401  (registers them)
