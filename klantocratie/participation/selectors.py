"""What a resident's participation page shows: their subscriptions, polls open to them,
and polls with results. Only the resident's own subscriptions and notices are read;
whether they answered a poll is found by recomputing their pseudonym for it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from klantocratie.parties.models import Party

from .models import Answer, CouncilMember, Poll, PollNotice, PollStatus, Subscription, Theme
from .services import lives_in, respondent_key


def subscriptions_of(party: Party) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(party=party)
        .select_related("theme", "council_member")
        .order_by("theme__name", "council_member__name")
    )


def subscription_of(party: Party, subscription_uuid: UUID) -> Subscription | None:
    """The party's own subscription; None for anyone else's, so views answer 404."""
    return subscriptions_of(party).filter(uuid=subscription_uuid).first()


def themes() -> QuerySet[Theme]:
    return Theme.objects.filter(active=True)


def council_members() -> QuerySet[CouncilMember]:
    return CouncilMember.objects.filter(active=True).prefetch_related("themes")


def public_polls() -> QuerySet[Poll]:
    """Published and closed polls: drafts are the griffie's until published."""
    return Poll.objects.exclude(status=PollStatus.DRAFT).select_related("theme", "council_member")


def public_poll(poll_uuid: UUID) -> Poll | None:
    return public_polls().prefetch_related("options").filter(uuid=poll_uuid).first()


def open_polls() -> QuerySet[Poll]:
    now = timezone.now()
    return (
        public_polls()
        .filter(status=PollStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
    )


def closed_polls() -> QuerySet[Poll]:
    now = timezone.now()
    return (
        public_polls()
        .filter(Q(status=PollStatus.CLOSED) | Q(status=PollStatus.PUBLISHED, closes_at__lte=now))
        .order_by("-closes_at")
    )


def answered(party: Party, polls: list[Poll]) -> set[int]:
    """Ids of those polls the party answered: one query over their per-poll pseudonyms."""
    keys = {respondent_key(poll, party): poll.pk for poll in polls}
    found = Answer.objects.filter(respondent__in=list(keys)).values_list("respondent", "poll_id")
    return {poll_id for key, poll_id in found if keys.get(key) == poll_id}


def has_answered(party: Party, poll: Poll) -> bool:
    return Answer.objects.filter(poll=poll, respondent=respondent_key(poll, party)).exists()


def followed(party: Party) -> tuple[set[int], set[int]]:
    """Ids of the themes and council members the party follows."""
    rows = Subscription.objects.filter(party=party).values_list("theme_id", "council_member_id")
    return {t for t, _m in rows if t}, {m for _t, m in rows if m}


def is_followed(poll: Poll, theme_ids: set[int], member_ids: set[int]) -> bool:
    return poll.theme_id in theme_ids or poll.council_member_id in member_ids


def unseen_poll_ids(party: Party) -> set[int]:
    return set(
        PollNotice.objects.filter(party=party, seen_at__isnull=True).values_list(
            "poll_id", flat=True
        )
    )


@dataclass(frozen=True)
class PollEntry:
    """A poll on the resident's page, with what it means for them."""

    poll: Poll
    answered: bool
    followed: bool
    new: bool
    for_them: bool  # False: limited to areas they do not live in


def entries(party: Party, polls: list[Poll], buurt: str | None) -> list[PollEntry]:
    """The polls as the resident sees them; `buurt` None: not read (no poll is limited)."""
    done = answered(party, polls)
    theme_ids, member_ids = followed(party)
    unseen = unseen_poll_ids(party)
    return [
        PollEntry(
            poll=poll,
            answered=poll.pk in done,
            followed=is_followed(poll, theme_ids, member_ids),
            new=poll.pk in unseen,
            for_them=not poll.areas or (buurt is not None and lives_in(poll, buurt)),
        )
        for poll in polls
    ]
