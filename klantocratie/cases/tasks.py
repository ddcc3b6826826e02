from celery import shared_task

from .choices import expire_offers


@shared_task(name="klantocratie.cases.tasks.expire_offers")
def expire_unanswered_offers() -> int:
    return expire_offers()
