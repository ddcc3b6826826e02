from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "klantocratie.linkage"
    label = "linkage"
    verbose_name = "Koppeling van partnergegevens zonder BSN"

    def ready(self) -> None:
        from . import connector  # noqa: F401  (registers local.linkage)
