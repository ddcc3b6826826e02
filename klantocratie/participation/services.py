"""Following themes and council members, publishing their polls, answering, closing.

Subscriptions are the resident's own choices, given and withdrawn on their page; the
e-mail address for polls is the one they confirmed there. Answering reads the
resident's address through the gate, with their own context, only when the poll is
limited to some areas or asks for results per area, and stores no more than the area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.privacy.log import pseudonymise
from klantocratie.registry.models import PartyType
from klantocratie.trends.areas import area_name, wijk_of
from klantocratie.validation import FieldErrors

from .models import (
    Answer,
    Breakdown,
    CouncilMember,
    Poll,
    PollNotice,
    PollOption,
    PollStatus,
    Subscription,
    Theme,
)

# The pseudonym's purpose: a respondent's key means nothing outside participation, and
# the poll's uuid in it makes each poll's keys unrelated to every other poll's.
PSEUDONYM_PURPOSE = "participatie"
ADDRESS = "person.address"
EMAIL = "person.email"
RESIDENTS_ONLY = "Meedenken is voor inwoners; een organisatie kan zich niet abonneren."


def respondent_key(poll: Poll, party: Party) -> str:
    identifier = party.primary_identifier()
    return pseudonymise(
        f"{PSEUDONYM_PURPOSE}:{poll.uuid}:{identifier.identifier_type}", identifier.value
    )


# --- subscriptions ----------------------------------------------------------------------


def _email_choice(errors: FieldErrors, wants_email: bool, email: str) -> str:
    email = email.strip()
    if not wants_email:
        return ""
    if not email:
        errors.add("email", "Vul uw e-mailadres in, of kies ervoor geen e-mail te ontvangen.")
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors.add(
            "email", f"'{email}' is geen geldig e-mailadres (bijvoorbeeld naam@voorbeeld.nl)."
        )
    return email


def subscribe(
    party: Party,
    *,
    theme: Theme | None = None,
    council_member: CouncilMember | None = None,
    wants_email: bool = False,
    email: str = "",
) -> Subscription:
    """Follow a theme or a council member; following again updates the e-mail choice."""
    errors = FieldErrors()
    if party.party_type != PartyType.PERSON:
        errors.add("party", RESIDENTS_ONLY)
    if (theme is None) == (council_member is None):
        errors.add("target", "Kies één thema of één raadslid om te volgen.")
    target = theme or council_member
    if target is not None and not target.active:
        errors.add("target", f"{target} is niet meer te volgen.")
    address = _email_choice(errors, wants_email, email)
    errors.raise_if_any()
    subscription, _created = Subscription.objects.update_or_create(
        party=party,
        theme=theme,
        council_member=council_member,
        defaults={"wants_email": wants_email, "email": address},
    )
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    """Stop following: the subscription and its e-mail address are deleted, not kept."""
    subscription.delete()


@dataclass
class SubscriptionChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@transaction.atomic
def set_subscriptions(
    party: Party,
    *,
    themes: Iterable[Theme],
    council_members: Iterable[CouncilMember],
    wants_email: bool,
    email: str,
) -> SubscriptionChanges:
    """Make the resident follow exactly these themes and council members, with one
    e-mail choice for all: what they unticked is withdrawn in the same step."""
    errors = FieldErrors()
    address = _email_choice(errors, wants_email, email)
    if party.party_type != PartyType.PERSON:
        errors.add("party", RESIDENTS_ONLY)
    errors.raise_if_any()
    themes, council_members = list(themes), list(council_members)
    wanted = {(t.pk, None) for t in themes} | {(None, m.pk) for m in council_members}
    changes = SubscriptionChanges()
    existing: set[tuple[int | None, int | None]] = set()
    for subscription in Subscription.objects.filter(party=party).select_related(
        "theme", "council_member"
    ):
        key = (subscription.theme_id, subscription.council_member_id)
        if key in wanted:
            existing.add(key)
        else:
            changes.removed.append(str(subscription.target))
            unsubscribe(subscription)
    for theme in themes:
        if (theme.pk, None) not in existing:
            changes.added.append(str(theme))
        subscribe(party, theme=theme, wants_email=wants_email, email=address)
    for member in council_members:
        if (None, member.pk) not in existing:
            changes.added.append(str(member))
        subscribe(party, council_member=member, wants_email=wants_email, email=address)
    return changes


def email_on_file(ctx: gate.AccessContext, party: Party) -> str:
    """The address to suggest for e-mail: the one given before, else the one the
    contact register holds (read through the gate as the resident)."""
    given = (
        Subscription.objects.filter(party=party, wants_email=True)
        .values_list("email", flat=True)
        .first()
    )
    if given:
        return given
    try:
        result = gate.read(ctx, party, [EMAIL], operation="e-mailadres voorstellen voor peilingen")
    except GateError:
        return ""
    value = result.values.get(EMAIL)
    return str(value.value) if value and value.value else ""


# --- publishing and closing (the griffie) -------------------------------------------------


def subscribers(poll: Poll) -> QuerySet[Subscription]:
    targets = Q()
    if poll.theme_id:
        targets |= Q(theme_id=poll.theme_id)
    if poll.council_member_id:
        targets |= Q(council_member_id=poll.council_member_id)
    return Subscription.objects.filter(targets)


def publish_poll(poll: Poll, *, by: str) -> int:
    """Publish a draft: its subscribers see it on their page and, if they asked for it,
    get an e-mail (sent after the commit, by a task). Returns the residents notified."""
    from .tasks import mail_new_poll

    now = timezone.now()
    errors = FieldErrors()
    if poll.status != PollStatus.DRAFT:
        errors.add("status", f"'{poll}' is al {poll.get_status_display().lower()}.")
    if poll.options.count() < 2:
        errors.add("options", "Een peiling heeft ten minste twee antwoordmogelijkheden.")
    if poll.closes_at <= now:
        errors.add("closes_at", "De sluitingsdatum ligt in het verleden; kies een latere datum.")
    unknown = [code for code in poll.areas if area_name(code) == code]
    if unknown:
        errors.add("areas", f"Onbekende buurt- of wijkcode: {', '.join(unknown)}.")
    errors.raise_if_any()
    with transaction.atomic():
        poll.status = PollStatus.PUBLISHED
        poll.published_at = now
        poll.published_by = by
        poll.save(update_fields=["status", "published_at", "published_by"])
        parties = {s.party_id for s in subscribers(poll)}
        PollNotice.objects.bulk_create(
            [PollNotice(party_id=party_id, poll=poll, created_at=now) for party_id in parties],
            ignore_conflicts=True,
        )
        transaction.on_commit(lambda: mail_new_poll.delay(poll.pk))
    return len(parties)


def close_poll(poll: Poll) -> None:
    """Close a poll early (or confirm its end): no more answers, results for everyone."""
    if poll.status == PollStatus.DRAFT:
        raise ValidationError(
            {"status": "Een concept is nog niet gepubliceerd en kan niet sluiten."}
        )
    if poll.status == PollStatus.CLOSED:
        return
    now = timezone.now()
    poll.status = PollStatus.CLOSED
    poll.closed_at = now
    poll.closes_at = min(poll.closes_at, now)
    poll.save(update_fields=["status", "closed_at", "closes_at"])


# --- answering ----------------------------------------------------------------------------


def home_buurt(ctx: gate.AccessContext, party: Party) -> str:
    """The resident's CBS buurt code, read through the gate as the resident themselves."""
    result = gate.read(ctx, party, [ADDRESS], operation="peiling: buurt bepalen")
    value = result.values.get(ADDRESS)
    address = value.value if value else None
    return str(address.get("buurtcode") or "") if isinstance(address, dict) else ""


def lives_in(poll: Poll, buurt: str) -> bool:
    """Whether a resident of this buurt may answer (a poll without areas is for all)."""
    if not poll.areas:
        return True
    return buurt in poll.areas or (bool(buurt) and wijk_of(buurt) in poll.areas)


def areas_text(poll: Poll) -> str:
    return ", ".join(area_name(code) for code in poll.areas)


def answer_poll(
    ctx: gate.AccessContext, party: Party, poll: Poll, option_id: int | str | None
) -> Answer:
    """Record one answer of one resident, once, while the poll is open."""
    errors = FieldErrors()
    now = timezone.now()
    if party.party_type != PartyType.PERSON:
        errors.add("party", "Peilingen zijn voor inwoners.")
    if ctx.actor_party_id != party.pk:
        errors.add(
            "party", "Een peiling beantwoordt u alleen voor uzelf, niet namens iemand anders."
        )
    if poll.status == PollStatus.DRAFT:
        errors.add("poll", "Deze peiling is nog niet gepubliceerd.")
    elif poll.is_closed(now):
        errors.add(
            "poll",
            f"Deze peiling is gesloten sinds {timezone.localtime(poll.closes_at):%d-%m-%Y %H:%M}.",
        )
    elif poll.opens_at > now:
        errors.add(
            "poll", f"Deze peiling gaat open op {timezone.localtime(poll.opens_at):%d-%m-%Y %H:%M}."
        )
    option: PollOption | None = None
    try:
        option = poll.options.filter(pk=int(option_id or 0)).first()
    except (TypeError, ValueError):
        option = None
    if option is None:
        errors.add("option", "Kies een van de antwoorden.")
    key = respondent_key(poll, party)
    if Answer.objects.filter(poll=poll, respondent=key).exists():
        errors.add("poll", "U heeft deze peiling al beantwoord; u kunt één keer antwoorden.")
    errors.raise_if_any()
    assert option is not None

    area = ""
    if poll.areas or poll.breakdown != Breakdown.NONE:
        buurt = home_buurt(ctx, party)
        if not lives_in(poll, buurt):
            raise ValidationError(
                {"poll": f"Deze peiling is alleen voor bewoners van {areas_text(poll)}."}
            )
        if poll.breakdown == Breakdown.BUURT:
            area = buurt
        elif poll.breakdown == Breakdown.WIJK and buurt:
            area = wijk_of(buurt)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(poll=poll, option=option, respondent=key, area=area)
    except IntegrityError:
        raise ValidationError(
            {"poll": "U heeft deze peiling al beantwoord; u kunt één keer antwoorden."}
        ) from None
    PollNotice.objects.filter(party=party, poll=poll, seen_at__isnull=True).update(seen_at=now)
    return answer


def mark_seen(party: Party, poll: Poll) -> None:
    PollNotice.objects.filter(party=party, poll=poll, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
