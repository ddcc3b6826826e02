"""The roles a person can hold at an organisation. Grants are given per role."""

from django.db import models


class Role(models.TextChoices):
    KCC_AGENT = "kcc_agent", "KCC-medewerker"
    CASE_WORKER = "case_worker", "Zaakbehandelaar"
    SOCIAL_WORKER = "social_worker", "Sociaal werker"
    POLICY_ANALYST = "policy_analyst", "Beleidsanalist"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    ADMINISTRATOR = "administrator", "Beheerder"
    RESIDENT = "resident", "Inwoner"
    # Trained to judge whether a partner's record without a BSN is about a given person.
    LINKAGE_REVIEWER = "linkage_reviewer", "Koppelcontroleur"
    # A system role, held by no person: the analytic environment that extracts facts for
    # signal rules and area trends. Grants for it name exactly what those may use.
    ANALYTICS = "analytics", "Analyseomgeving (systeem)"


# Roles that work with client data on behalf of an organisation (the desk and the view).
CLIENT_VIEW_ROLES = frozenset(
    {Role.KCC_AGENT, Role.CASE_WORKER, Role.SOCIAL_WORKER, Role.PRIVACY_OFFICER}
)
