from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "klantocratie.knowledge"
    label = "knowledge"
    verbose_name = "Kennisbank"
