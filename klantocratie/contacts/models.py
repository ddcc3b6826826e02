"""The contact registry (klantcontacten), after the VNG Klantinteracties model.

A contact (klantcontact) records one interaction on one channel: who was involved
(betrokkene), what it was about (onderwerpobject), what was attached (bijlage), and what
follow-up it led to (interne taak, assigned to an actor: an employee or a team). The
registry is a source in the catalogue: its data about a party is read and changed only
through the privacy gate.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from klantocratie.parties.models import Party
from klantocratie.registry.models import Organisation


class Channel(models.Model):
    """A channel a contact can arrive on. A closed list, kept as rows so a pack can extend it."""

    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("naam", max_length=100)
    active = models.BooleanField("actief", default=True)
    display_order = models.PositiveIntegerField("volgorde", default=100)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = "kanaal"
        verbose_name_plural = "kanalen"

    def __str__(self) -> str:
        return self.name


class NumberSeries(models.Model):
    """The last number handed out per series (e.g. 'KC-2026'), locked while counting."""

    key = models.CharField(max_length=20, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class Contact(models.Model):
    """A klantcontact: one interaction between a client and an organisation's agent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nummer = models.CharField("nummer", max_length=20, unique=True)
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="contacts", verbose_name="kanaal"
    )
    subject = models.CharField("onderwerp", max_length=200)
    content = models.TextField("inhoud")
    answer = models.TextField("reactie", blank=True)
    succeeded = models.BooleanField("contact gelukt", null=True, blank=True)
    language = models.CharField("taal", max_length=3, default="nld")
    confidential = models.BooleanField("vertrouwelijk", default=False)
    occurred_at = models.DateTimeField("plaatsgevonden op", db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name="organisatie",
        help_text="De organisatie waarvan de medewerker het contact afhandelde.",
    )
    registered_by = models.CharField("geregistreerd door", max_length=150)
    trace_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "klantcontact"
        verbose_name_plural = "klantcontacten"
        indexes = [
            models.Index(fields=["organisation", "occurred_at"]),
            models.Index(fields=["channel", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.nummer} {self.subject}"


class InvolvementRole(models.TextChoices):
    CLIENT = "klant", "Klant"
    REPRESENTATIVE = "vertegenwoordiger", "Vertegenwoordiger"


class Involvement(models.Model):
    """A betrokkene: the party (or a representative without one) involved in a contact."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="involvements")
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_involvements",
        help_text="Leeg voor een vertegenwoordiger die (nog) geen partij is.",
    )
    role = models.CharField("rol", max_length=20, choices=InvolvementRole.choices)
    initiator = models.BooleanField("initiatiefnemer", default=False)
    contact_initials = models.CharField("voorletters", max_length=10, blank=True)
    contact_first_name = models.CharField("voornaam", max_length=200, blank=True)
    contact_surname_prefix = models.CharField("voorvoegsel achternaam", max_length=10, blank=True)
    contact_surname = models.CharField("achternaam", max_length=200, blank=True)
    organisation_name = models.CharField("organisatienaam", max_length=200, blank=True)

    class Meta:
        verbose_name = "betrokkene"
        verbose_name_plural = "betrokkenen"

    def __str__(self) -> str:
        return f"{self.get_role_display()} bij {self.contact.nummer}"

    @property
    def full_name(self) -> str:
        """The name the person wants to be addressed by, as the spec's volledigeNaam."""
        first = self.contact_first_name or self.contact_initials
        parts = (first, self.contact_surname_prefix, self.contact_surname)
        return " ".join(part for part in parts if part)


class SubjectObject(models.Model):
    """An onderwerpobject: what a contact was about (a zaak, a product, another contact)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="subject_objects")
    object_type = models.CharField(
        "soort object", max_length=200, help_text="Bijv. zaak, product, kennisartikel."
    )
    object_id = models.CharField("objectidentificatie", max_length=200)
    register = models.CharField("register", max_length=200, blank=True)
    id_type = models.CharField("soort objectidentificatie", max_length=200, blank=True)

    class Meta:
        verbose_name = "onderwerpobject"
        verbose_name_plural = "onderwerpobjecten"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"


class Attachment(models.Model):
    """A bijlage: a file that came with a contact (the e-mail itself, a scanned letter)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("bestand", upload_to="klantcontacten/%Y/%m/")
    original_name = models.CharField("oorspronkelijke naam", max_length=255)
    content_type = models.CharField("soort bestand", max_length=100)
    size = models.PositiveBigIntegerField("grootte (bytes)")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bijlage"
        verbose_name_plural = "bijlagen"

    def __str__(self) -> str:
        return self.original_name


class ActorKind(models.TextChoices):
    EMPLOYEE = "medewerker", "Medewerker"
    TEAM = "organisatorische_eenheid", "Team (organisatorische eenheid)"
    AUTOMATED = "geautomatiseerde_actor", "Geautomatiseerde actor"


class Actor(models.Model):
    """Who works on contacts and tasks: an employee, a team, or an automated process."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort actor", max_length=32, choices=ActorKind.choices)
    active = models.BooleanField("actief", default=True)
    identifier = models.CharField(
        "identificatie", max_length=200, help_text="Gebruikersnaam of teamcode."
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actors", verbose_name="organisatie"
    )
    teams = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": ActorKind.TEAM},
        help_text="Teams waarvan deze medewerker de werkvoorraad deelt.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "actor"
        verbose_name_plural = "actoren"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "identifier"], name="unique_actor_identifier"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    TO_DO = "te_verwerken", "Te verwerken"
    DONE = "verwerkt", "Verwerkt"


class TaskKind(models.TextChoices):
    CALLBACK = "terugbelverzoek", "Terugbelverzoek"
    INTERNAL = "interne_taak", "Interne taak"
    HANDOVER = "overdracht", "Overdracht"


class InternalTask(models.Model):
    """An interne taak: follow-up of a contact, assigned to an employee or a team."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nummer = models.CharField("nummer", max_length=20, unique=True)
    kind = models.CharField("soort", max_length=20, choices=TaskKind.choices)
    requested_action = models.CharField("gevraagde handeling", max_length=200)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="aanleidinggevend klantcontact",
    )
    assigned_to = models.ManyToManyField(Actor, related_name="tasks", verbose_name="toegewezen aan")
    explanation = models.TextField("toelichting", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=TaskStatus.choices, default=TaskStatus.TO_DO
    )
    assigned_at = models.DateTimeField("toegewezen op", db_index=True)
    done_at = models.DateTimeField("afgehandeld op", null=True, blank=True)
    created_by = models.CharField("aangemaakt door", max_length=150)
    done_by = models.CharField("afgehandeld door", max_length=150, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = "interne taak"
        verbose_name_plural = "interne taken"
        indexes = [models.Index(fields=["status", "assigned_at"])]

    def __str__(self) -> str:
        return f"{self.nummer} {self.requested_action}"


class DigitalAddressKind(models.TextChoices):
    EMAIL = "email", "E-mailadres"
    PHONE = "telefoonnummer", "Telefoonnummer"
    OTHER = "overig", "Overig"


class DigitalAddress(models.Model):
    """A digitaal adres a party gave for future contact (e-mail, phone, other)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="digital_addresses")
    involvement = models.ForeignKey(
        Involvement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digital_addresses",
        help_text="De betrokkene bij een klantcontact die dit adres opgaf.",
    )
    address = models.CharField("adres", max_length=80)
    kind = models.CharField("soort", max_length=20, choices=DigitalAddressKind.choices)
    is_default = models.BooleanField("standaardadres", default=False)
    description = models.CharField("omschrijving", max_length=40, blank=True)
    verified_on = models.DateField("geverifieerd op", null=True, blank=True)

    class Meta:
        ordering = ["kind", "-is_default", "address"]
        verbose_name = "digitaal adres"
        verbose_name_plural = "digitale adressen"
        indexes = [models.Index(fields=["kind", "address"])]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=Q(is_default=True),
                name="one_default_digital_address_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.address}"
