"""Reads for the personal page that span sections (whom one may act for, the overview)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.clientview.selectors import ClientView, SourceSection, name_from
from klantocratie.parties.models import Authorisation, Party
from klantocratie.parties.selectors import represented_by
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError
from klantocratie.privacy.models import Grant
from klantocratie.registry.models import PartyType

from .access import PortalSession
from .corrections import has_own_section


@dataclass(frozen=True)
class SubjectOption:
    party: Party
    name: str
    authorisation: Authorisation | None


def display_name(ctx: gate.AccessContext, party: Party) -> str:
    """A party's name, read through the gate (so the log shows it was read)."""
    element = "person.name" if party.party_type == PartyType.PERSON else "business.registration"
    try:
        result = gate.read(ctx, party, [element], operation="naam tonen")
    except GateError:
        return ""
    return name_from(result.values)


def subjects_for(portal: PortalSession) -> list[SubjectOption]:
    """Oneself first, then everyone one holds an authorisation in force from."""
    options = [SubjectOption(portal.own_party, "Uzelf", None)]
    seen = {portal.own_party.pk}
    for authorisation in represented_by(portal.own_party):
        if authorisation.represented_id in seen:
            continue
        seen.add(authorisation.represented_id)
        name = display_name(portal.ctx, authorisation.represented) or "(naam onbekend)"
        options.append(SubjectOption(authorisation.represented, name, authorisation))
    return options


# --- my data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementUse:
    """One organisation and role that may see (or change) an element, and why."""

    organisation: str
    role: str
    activity: str
    purpose: str
    legal_basis: str
    may_change: bool


@dataclass
class OrganisationData:
    """What one organisation's sources deliver about the subject."""

    organisation: str
    sections: list[SourceSection] = field(default_factory=list)


def element_uses(codes: Iterable[str], on: date | None = None) -> dict[str, list[ElementUse]]:
    """Per element, every grant in force that lets someone other than the subject use it.

    These are the catalogue's rules, not log records: who *may*, in plain words. What
    actually happened is on the "who looked" page.
    """
    today = on or timezone.localdate()
    wanted = set(codes)
    grants = (
        Grant.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            valid_from__lte=today,
            elements__code__in=wanted,
        )
        .exclude(role=Role.RESIDENT)
        .select_related("organisation", "activity")
        .prefetch_related("elements")
        .distinct()
        .order_by("organisation__name", "role", "activity__code")
    )
    uses: dict[str, dict[tuple[str, str, str], ElementUse]] = {code: {} for code in wanted}
    for grant in grants:
        activity = grant.activity
        use = ElementUse(
            organisation=grant.organisation.name,
            role=Role(grant.role).label,
            activity=activity.name,
            purpose=activity.purpose,
            legal_basis=f"{activity.legal_article} ({activity.get_gdpr_basis_display()})",
            may_change=grant.may_change,
        )
        for element in grant.elements.all():
            if element.code not in wanted:
                continue
            key = (use.organisation, use.role, activity.code)
            known = uses[element.code].get(key)
            # One line per organisation, role and activity; "may change" wins.
            if known is None or (use.may_change and not known.may_change):
                uses[element.code][key] = use
    return {code: list(found.values()) for code, found in uses.items()}


def data_by_organisation(view: ClientView) -> list[OrganisationData]:
    """The client view's sources grouped per organisation, leaving out the elements that
    have a section of their own (cases, contacts, signals)."""
    grouped: dict[str, OrganisationData] = {}
    for section in view.sections:
        values = [v for v in section.values if not has_own_section(v.code)]
        missing = [c for c in section.missing if not has_own_section(c)]
        if not values and not missing:
            continue
        organisation = section.status.organisation_name
        grouped.setdefault(organisation, OrganisationData(organisation)).sections.append(
            SourceSection(status=section.status, values=values, missing=missing)
        )
    return list(grouped.values())
