from django.conf import settings
from django.db import models

from .roles import Role


class Membership(models.Model):
    """A user holds a role at an organisation; the role, not the user, is what grants name.

    A user may have several memberships (a KCC agent who is also a privacy officer) and
    works in one at a time, chosen with the role switcher.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    default_activity = models.CharField(
        max_length=100,
        blank=True,
        help_text="Code of the processing activity this role normally works under.",
    )
    party = models.ForeignKey(
        "parties.Party",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="For residents: the party they are, so they reach their own data only.",
    )
    phone = models.CharField(
        "doorkiesnummer",
        max_length=20,
        blank=True,
        help_text="Het directe nummer in deze functie; inwoners zien het bij hun zaak.",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            ),
            # The analytic environment's grants extract everyone's facts at once; no
            # person may ever act under them.
            models.CheckConstraint(
                condition=~models.Q(role=Role.ANALYTICS), name="membership_not_system_role"
            ),
        ]
        ordering = ["user__username", "organisation__code", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} bij {self.organisation}"
