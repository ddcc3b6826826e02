from celery import shared_task

from .services import deliver_pending


@shared_task(name="klantocratie.connectors.tasks.deliver_pending_changes")
def deliver_pending_changes() -> dict[str, int]:
    return deliver_pending()
