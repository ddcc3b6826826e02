"""Demo logins for the personal page: residents and a business, each with a story.

- Riky ter Horst (``demo-inwoner``) has data in every source, cases, contacts and signals.
- Her son Daan (``demo-inwoner-daan``) holds a machtiging from her, so he can act for her.
- A parent of a minor child (``demo-ouder``) acts for the child under parental authority,
  which ends on the child's 18th birthday.
- Riky's sewing workshop (``demo-ondernemer``) logs in with its KvK number (eHerkenning).

The family relations and the business come from the generated population and trade
registers, read here once at load time (demo data, not a portal read).
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from klantocratie.parties.models import Authorisation, AuthorisationKind, IdentifierType, Party
from klantocratie.parties.services import record_authorisation, register_party
from klantocratie.registry.models import Organisation, PartyType
from klantocratie.sources.population.models import FamilyRelation, Person, RelationKind
from klantocratie.sources.traderegister.models import BusinessRole

PORTAL_ORGANISATION = "gemeente-almelo"
PORTAL_ACTIVITY = "inzage-eigen-gegevens"


def _person(bsn: str) -> Party:
    return register_party(PartyType.PERSON, {IdentifierType.BSN: bsn})


def _account(username: str, name: str, party: Party) -> None:
    first, _, last = name.partition(" ")
    user, _ = get_user_model().objects.update_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.update_or_create(
        user=user,
        organisation=Organisation.objects.get(code=PORTAL_ORGANISATION),
        role=Role.RESIDENT,
        defaults={"default_activity": PORTAL_ACTIVITY, "party": party},
    )


def _display_name(person: Person) -> str:
    given = person.given_names.split(" ")[0]
    return " ".join(p for p in (given, person.surname_prefix, person.surname) if p)


def _eighteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born on 29 February
        return date(birth.year + 18, 3, 1)


def _authorise(
    representative: Party, represented: Party, kind: str, basis: str, since: date, to: date | None
) -> None:
    if Authorisation.objects.filter(
        representative=representative, represented=represented, kind=kind
    ).exists():
        return
    record_authorisation(
        representative=representative,
        represented=represented,
        kind=kind,
        basis=basis,
        valid_from=since,
        valid_to=to,
        recorded_by="load_demo",
    )


def _minor_child(today: date) -> tuple[Person, Person] | None:
    """A parent and their youngest child under 18 living in the demo, or None."""
    cutoff = date(today.year - 18, today.month, min(today.day, 28)).isoformat()
    minors = {
        p.bsn: p
        for p in Person.objects.filter(birth_date__gt=cutoff, death_date__isnull=True).order_by(
            "-birth_date"
        )[:200]
    }
    relation = (
        FamilyRelation.objects.filter(kind=RelationKind.CHILD, related_bsn__in=minors)
        .order_by("bsn")
        .first()
    )
    if relation is None:
        return None
    parent = Person.objects.filter(bsn=relation.bsn).first()
    return (parent, minors[relation.related_bsn]) if parent else None


@transaction.atomic
def create_portal_demo_accounts(resident_bsn: str) -> list[str]:
    """Create the demo logins of the personal page; returns their user names."""
    riky = Person.objects.filter(bsn=resident_bsn).first()
    if riky is None:
        return []
    today = timezone.localdate()
    riky_party = _person(riky.bsn)
    created = ["demo-inwoner"]  # made by create_demo_accounts, tied to the same party

    son = (
        FamilyRelation.objects.filter(bsn=riky.bsn, kind=RelationKind.CHILD)
        .order_by("valid_from")
        .first()
    )
    son_person = Person.objects.filter(bsn=son.related_bsn).first() if son else None
    if son_person is not None:
        daan = _person(son_person.bsn)
        _account("demo-inwoner-daan", _display_name(son_person), daan)
        _authorise(
            daan,
            riky_party,
            AuthorisationKind.VOLUNTARY,
            "Machtiging gegeven op Mijn pagina",
            date(2026, 9, 1),
            None,
        )
        created.append("demo-inwoner-daan")

    family = _minor_child(today)
    if family is not None:
        parent, child = family
        parent_party = _person(parent.bsn)
        _account("demo-ouder", _display_name(parent), parent_party)
        birth = date.fromisoformat(child.birth_date)
        _authorise(
            parent_party,
            _person(child.bsn),
            AuthorisationKind.PARENTAL_AUTHORITY,
            "Ouderlijk gezag volgens de BRP",
            birth,
            _eighteenth_birthday(birth) - timedelta(days=1),
        )
        created.append("demo-ouder")

    role = BusinessRole.objects.filter(bsn=riky.bsn).order_by("business_id").first()
    if role is not None:
        business = register_party(PartyType.ORGANISATION, {IdentifierType.KVK: role.business_id})
        _account("demo-ondernemer", f"{riky.given_names.split(' ')[0]} {riky.surname}", business)
        created.append("demo-ondernemer")
    return created
