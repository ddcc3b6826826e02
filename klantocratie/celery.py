"""Celery application. Eager (in-process) in the embedded default, Redis in production."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantocratie.settings")

app = Celery("klantocratie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
