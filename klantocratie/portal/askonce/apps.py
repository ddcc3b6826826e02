from django.apps import AppConfig


class AskOnceConfig(AppConfig):
    # Its own app (and migrations) so the form definitions do not share a migration
    # history with the rest of the personal page.
    name = "klantocratie.portal.askonce"
    label = "askonce"
    verbose_name = "Formulieren (eenmalige uitvraag)"
