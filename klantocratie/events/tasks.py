from celery import shared_task

from .dispatch import publish_pending


@shared_task(name="klantocratie.events.tasks.publish_events")
def publish_events() -> int:
    return publish_pending()
