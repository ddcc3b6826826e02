from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "klantocratie.feedback"
    verbose_name = "Feedback en keuze"
