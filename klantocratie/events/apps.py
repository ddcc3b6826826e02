from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "klantocratie.events"
    label = "events"
    verbose_name = "Gebeurtenissen (CloudEvents-outbox)"
