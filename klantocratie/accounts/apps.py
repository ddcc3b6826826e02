from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "klantocratie.accounts"
    label = "accounts"
    verbose_name = "Accounts en rollen"
