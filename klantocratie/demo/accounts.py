"""Demo accounts, one per role, from the pack's demo-accounts.yaml."""

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.models import ChoiceKind, ChoiceStatus, CollectionChannel, PrivacyChoice
from klantocratie.registry.models import Organisation

# What a privacy officer inspects in the admin: the register, grants, choices, log, audit.
_PRIVACY_OFFICER_VIEWS = (
    "view_processingactivity",
    "view_grant",
    "view_privacychoice",
    "view_processinglogrecord",
    "view_auditentry",
    "view_dataelement",
    "view_source",
    "view_organisation",
)


def _privacy_officer_permissions() -> list[Permission]:
    return list(Permission.objects.filter(codename__in=_PRIVACY_OFFICER_VIEWS))


@transaction.atomic
def create_demo_accounts(pack_dir: Path, resident_bsn: str) -> int:
    """Create or refresh the demo users; the resident is linked to ``resident_bsn``."""
    entries = yaml.safe_load((pack_dir / "demo-accounts.yaml").read_text(encoding="utf-8"))[
        "accounts"
    ]
    resident = find_party("bsn", resident_bsn)
    user_model = get_user_model()
    for entry in entries:
        first, _, last = entry["name"].partition(" ")
        user, _ = user_model.objects.update_or_create(
            username=entry["username"],
            defaults={
                "first_name": first,
                "last_name": last,
                "email": entry.get("email", ""),
                "is_staff": entry["role"] in {Role.ADMINISTRATOR, Role.PRIVACY_OFFICER},
                "is_superuser": entry["role"] == Role.ADMINISTRATOR,
            },
        )
        # Demo users log in through the role switcher; a password login stays closed.
        user.set_unusable_password()
        user.save()
        if entry["role"] == Role.PRIVACY_OFFICER:
            user.user_permissions.set(_privacy_officer_permissions())
        Membership.objects.update_or_create(
            user=user,
            organisation=Organisation.objects.get(code=entry["organisation"]),
            role=entry["role"],
            defaults={
                "default_activity": entry.get("activity", ""),
                "party": resident if entry.get("resident") else None,
                "phone": entry.get("phone", ""),
            },
        )
    if resident is not None and not PrivacyChoice.objects.filter(party=resident).exists():
        # The demo resident asked to be helped with the extended view, so the desk shows it.
        PrivacyChoice.objects.create(
            party=resident,
            purpose="uitgebreid-klantbeeld",
            kind=ChoiceKind.OPT_IN,
            status=ChoiceStatus.GIVEN,
            decided_at=timezone.now(),
            collected_via=CollectionChannel.PORTAL,
            statement="Ik wil dat medewerkers ook mijn huur, afval en belastingschuld zien om mij in één keer te helpen.",
        )
    return len(entries)
