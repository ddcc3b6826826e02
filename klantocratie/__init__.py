"""klantocratie: one government for every resident and business."""

from .celery import app as celery_app

__all__ = ["celery_app"]
