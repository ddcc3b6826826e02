"""Case management for the second line, after the ZGW Catalogi and Zaken models.

A case type (zaaktype) is a versioned model that policy staff write in a pack: status
types, result types, role types, document types, task types, properties and decision
tables. A case (zaak) keeps the version it started with, so publishing a new version
never changes the rules of a running case.

The case-type features that go beyond the ZGW model — offers attached to a decision,
a second opinion on an advice step, and the resident's choice of provider — are small
models of their own, so a pack switches them on per case type.
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q

from klantocratie.parties.models import Party
from klantocratie.registry.models import Organisation


class Confidentiality(models.TextChoices):
    """The ZGW vertrouwelijkheidaanduiding, from open to secret."""

    OPENBAAR = "openbaar", "Openbaar"
    BEPERKT_OPENBAAR = "beperkt_openbaar", "Beperkt openbaar"
    INTERN = "intern", "Intern"
    ZAAKVERTROUWELIJK = "zaakvertrouwelijk", "Zaakvertrouwelijk"
    VERTROUWELIJK = "vertrouwelijk", "Vertrouwelijk"
    CONFIDENTIEEL = "confidentieel", "Confidentieel"
    GEHEIM = "geheim", "Geheim"
    ZEER_GEHEIM = "zeer_geheim", "Zeer geheim"


# --- case types -----------------------------------------------------------------------


class CaseType(models.Model):
    """The stable identity of a case type; its content lives in its versions."""

    identification = models.CharField("identificatie", max_length=50, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="case_types",
        verbose_name="verantwoordelijke organisatie",
    )

    class Meta:
        ordering = ["identification"]
        verbose_name = "zaaktype"
        verbose_name_plural = "zaaktypen"

    def __str__(self) -> str:
        return self.identification


class VersionState(models.TextChoices):
    DRAFT = "draft", "Concept"
    PUBLISHED = "published", "Gepubliceerd"


class CaseTypeVersion(models.Model):
    """One version of a case type. Published versions are never edited, only superseded."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="versions", verbose_name="zaaktype"
    )
    version = models.PositiveIntegerField("versie")
    state = models.CharField(
        "status", max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    valid_from = models.DateField("begin geldigheid")
    valid_until = models.DateField("einde geldigheid", null=True, blank=True)
    version_date = models.DateField("versiedatum")
    description = models.CharField("omschrijving", max_length=80)
    purpose = models.TextField("doel")
    trigger = models.TextField("aanleiding")
    subject = models.CharField("onderwerp", max_length=80)
    internal_or_external = models.CharField(
        "intern of extern",
        max_length=6,
        choices=[("intern", "Intern"), ("extern", "Extern")],
        default="extern",
    )
    initiator_action = models.CharField("handeling initiator", max_length=20)
    handler_action = models.CharField("handeling behandelaar", max_length=20)
    processing_days = models.PositiveIntegerField("doorlooptijd (dagen)")
    service_norm_days = models.PositiveIntegerField("servicenorm (dagen)", null=True, blank=True)
    suspension_allowed = models.BooleanField("opschorting en aanhouding mogelijk", default=False)
    extension_allowed = models.BooleanField("verlenging mogelijk", default=False)
    extension_days = models.PositiveIntegerField(
        "verlengingstermijn (dagen)", null=True, blank=True
    )
    confidentiality = models.CharField(
        "vertrouwelijkheid",
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.ZAAKVERTROUWELIJK,
    )
    products = models.JSONField(
        "producten of diensten",
        default=list,
        help_text="UPL-namen van de producten uit de productencatalogus.",
    )
    process_type = models.CharField(
        "selectielijst-procestype", max_length=200, blank=True, help_text="Uit de selectielijst."
    )
    first_line_can_handle = models.BooleanField(
        "eerste lijn kan afhandelen",
        default=False,
        help_text="De balie mag een zaak van dit type direct afhandelen.",
    )
    keywords = models.JSONField("trefwoorden", default=list, blank=True)
    source_file = models.CharField("bronbestand", max_length=300, blank=True)
    # Fingerprint of the pack content, to refuse edits to a published version.
    content_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)

    class Meta:
        ordering = ["case_type", "-version"]
        verbose_name = "zaaktypeversie"
        verbose_name_plural = "zaaktypeversies"
        constraints = [
            models.UniqueConstraint(fields=["case_type", "version"], name="casetype_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.description} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.state == VersionState.PUBLISHED

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class StatusType(models.Model):
    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="status_types"
    )
    order = models.PositiveIntegerField("volgnummer")
    code = models.SlugField("code", max_length=50)
    description = models.CharField("omschrijving", max_length=80)
    resident_text = models.CharField(
        "statustekst", max_length=1000, help_text="De tekst die de inwoner ziet."
    )
    notify = models.BooleanField("informeren", default=False)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="statustype_order_unique"),
            models.UniqueConstraint(fields=["version", "code"], name="statustype_code_unique"),
        ]

    def __str__(self) -> str:
        return self.description

    @cached_property
    def is_final(self) -> bool:
        """The status type with the highest number ends the case (isEindstatus)."""
        last = self.version.status_types.order_by("-order").values_list("pk", flat=True).first()
        return last == self.pk


class ResultType(models.Model):
    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="result_types"
    )
    code = models.SlugField("code", max_length=50)
    description = models.CharField("omschrijving", max_length=30)
    generic_description = models.CharField(
        "resultaattypeomschrijving",
        max_length=80,
        help_text="Uit de referentielijst resultaattypeomschrijvingen.",
    )
    selection_list_class = models.CharField(
        "selectielijstklasse", max_length=20, help_text="Volledig nummer uit de selectielijst."
    )
    archive_action = models.CharField("archiefnominatie", max_length=20)
    retention_period = models.CharField("bewaartermijn", max_length=20, blank=True)
    offers_decision = models.BooleanField(
        "besluit met aanbod",
        default=False,
        help_text="Bij dit resultaat krijgt de inwoner de aanbiedingen van het zaaktype.",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["version", "description"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="resulttype_code_unique")
        ]

    def __str__(self) -> str:
        return self.description


class RoleType(models.Model):
    class Generic(models.TextChoices):
        """omschrijvingGeneriek of the ZGW role types."""

        ADVISEUR = "adviseur", "Adviseur"
        BEHANDELAAR = "behandelaar", "Behandelaar"
        BELANGHEBBENDE = "belanghebbende", "Belanghebbende"
        BESLISSER = "beslisser", "Beslisser"
        INITIATOR = "initiator", "Initiator"
        KLANTCONTACTER = "klantcontacter", "Klantcontacter"
        ZAAKCOORDINATOR = "zaakcoordinator", "Zaakcoördinator"
        MEDE_INITIATOR = "mede_initiator", "Mede-initiator"

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="role_types"
    )
    code = models.SlugField("code", max_length=50)
    description = models.CharField("omschrijving", max_length=100)
    generic = models.CharField("omschrijving generiek", max_length=20, choices=Generic.choices)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["version", "description"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="roletype_code_unique")
        ]

    def __str__(self) -> str:
        return self.description


class DocumentType(models.Model):
    class Direction(models.TextChoices):
        """The ZGW richting: who a document of this type comes from and goes to."""

        INCOMING = "inkomend", "Inkomend (van de aanvrager)"
        INTERNAL = "intern", "Intern"
        OUTGOING = "uitgaand", "Uitgaand (naar de aanvrager)"

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="document_types"
    )
    code = models.SlugField("code", max_length=50)
    description = models.CharField("omschrijving", max_length=80)
    confidentiality = models.CharField(
        "vertrouwelijkheid", max_length=20, choices=Confidentiality.choices
    )
    required = models.BooleanField("verplicht", default=False)
    # Residents upload incoming documents and see incoming and outgoing ones; internal
    # documents stay with the organisation. Unstated in a pack, a type is internal.
    direction = models.CharField(
        "richting", max_length=10, choices=Direction.choices, default=Direction.INTERNAL
    )

    class Meta:
        ordering = ["version", "description"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="documenttype_code_unique")
        ]

    def __str__(self) -> str:
        return self.description


class PropertyType(models.Model):
    """An eigenschap: a typed fact the case type records (e.g. building height)."""

    class Format(models.TextChoices):
        TEXT = "tekst", "Tekst"
        NUMBER = "getal", "Getal"
        DATE = "datum", "Datum"
        BOOLEAN = "ja_nee", "Ja/nee"

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="property_types"
    )
    code = models.SlugField("code", max_length=50)
    name = models.CharField("naam", max_length=100)
    format = models.CharField("formaat", max_length=10, choices=Format.choices)
    choices = models.JSONField("waardenverzameling", default=list, blank=True)

    class Meta:
        ordering = ["version", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="propertytype_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TaskType(models.Model):
    """Work a case can need. Required task types must be done before their status is set;
    discretionary ones are there for the case worker to add when the case asks for it."""

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="task_types"
    )
    code = models.SlugField("code", max_length=50)
    name = models.CharField("naam", max_length=100)
    instructions = models.TextField("werkinstructie", blank=True)
    required_before = models.ForeignKey(
        StatusType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="required_tasks",
        verbose_name="verplicht vóór status",
    )
    discretionary = models.BooleanField("naar keuze", default=False)
    fields = models.JSONField(
        "velden",
        default=list,
        blank=True,
        help_text="Wat de behandelaar vastlegt: [{code, label, format, required, choices}].",
    )
    decision_table = models.ForeignKey(
        "DecisionTable",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_types",
        verbose_name="beslistabel",
        help_text="De tabel die bij deze taak een advies geeft.",
    )
    advice_step = models.BooleanField(
        "adviesstap",
        default=False,
        help_text="Een advies waarop de aanvrager een second opinion mag vragen.",
    )

    class Meta:
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="tasktype_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DecisionTable(models.Model):
    """A decision table in JDM (the JSON Decision Model), stored as written in the pack.

    The file is versioned with the case type version: a change is a new case-type
    version, so every evaluation can be replayed against the exact table it used.
    """

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="decision_tables"
    )
    code = models.SlugField("code", max_length=50)
    name = models.CharField("naam", max_length=100)
    content = models.JSONField("inhoud (JDM)")
    sha256 = models.CharField(max_length=64)
    source_file = models.CharField("bronbestand", max_length=300)

    class Meta:
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="decisiontable_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class OfferType(models.Model):
    """An offer a decision can carry, e.g. 10% off a parking fine with a parking permit."""

    version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="offer_types"
    )
    code = models.SlugField("code", max_length=50)
    name = models.CharField("naam", max_length=100)
    description = models.TextField("uitleg voor de inwoner")
    discount_percent = models.PositiveIntegerField("korting (%)", default=0)
    valid_days = models.PositiveIntegerField("geldig (dagen)", default=30)
    follow_up_case_type = models.CharField(
        "vervolgzaaktype",
        max_length=50,
        blank=True,
        help_text="Identificatie van het zaaktype dat bij aanvaarden start.",
    )

    class Meta:
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="offertype_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SecondOpinionRule(models.Model):
    """Allows a second advice on an advice step, by another committee, at the applicant's cost.

    The decision adopts only the points both advices contain; the points are a closed
    list so that "the same point" is never a matter of wording.
    """

    version = models.OneToOneField(
        CaseTypeVersion, on_delete=models.CASCADE, related_name="second_opinion_rule"
    )
    committees = models.JSONField("commissies", help_text="Namen van de adviescommissies.")
    points = models.JSONField(
        "adviespunten", help_text="[{code, label}] waarover geadviseerd wordt."
    )
    cost_eur = models.DecimalField("kosten (euro)", max_digits=8, decimal_places=2)
    request_days = models.PositiveIntegerField(
        "termijn om te vragen (dagen)", default=14, help_text="Na het eerste advies."
    )

    def __str__(self) -> str:
        return f"Second opinion bij {self.version}"


class ProviderOption(models.Model):
    """An eligible provider of a case type's service, for the resident to choose from."""

    version = models.ForeignKey(CaseTypeVersion, on_delete=models.CASCADE, related_name="providers")
    code = models.SlugField("code", max_length=50)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisatie"
    )
    description = models.TextField("wat de aanbieder doet")
    response_days = models.PositiveIntegerField(
        "reactietermijn (dagen)",
        help_text="Binnen deze termijn neemt de aanbieder contact op; daarna mag de inwoner wisselen.",
    )

    class Meta:
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="provider_code_unique")
        ]

    def __str__(self) -> str:
        return self.organisation.name


# --- cases ----------------------------------------------------------------------------


class Case(models.Model):
    """A zaak: one request, report or obligation handled by one organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    identification = models.CharField("identificatie", max_length=40, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="bronorganisatie",
    )
    case_type_version = models.ForeignKey(
        CaseTypeVersion, on_delete=models.PROTECT, related_name="cases", verbose_name="zaaktype"
    )
    description = models.CharField("omschrijving", max_length=80)
    explanation = models.TextField("toelichting", blank=True)
    registered_on = models.DateField("registratiedatum")
    start_date = models.DateField("startdatum")
    planned_end = models.DateField("einddatum gepland", null=True, blank=True)
    deadline = models.DateField("uiterlijke einddatum afdoening")
    end_date = models.DateField("einddatum", null=True, blank=True)
    channel = models.CharField("communicatiekanaal", max_length=50, blank=True)
    confidentiality = models.CharField(
        "vertrouwelijkheid", max_length=20, choices=Confidentiality.choices
    )
    current_status = models.ForeignKey(
        "CaseStatus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="huidige status",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="behandelaar",
    )
    suspended_since = models.DateField("opgeschort sinds", null=True, blank=True)
    suspension_reason = models.CharField("reden opschorting", max_length=200, blank=True)
    extended_days = models.PositiveIntegerField("verlengd met (dagen)", default=0)
    extension_reason = models.CharField("reden verlenging", max_length=200, blank=True)
    properties = models.JSONField("eigenschappen", default=dict, blank=True)
    related_cases = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name="gerelateerde zaken"
    )
    # Where the case came from, so nobody asks the client their story again.
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="klantcontact",
    )
    internal_task = models.ForeignKey(
        "contacts.InternalTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="interne taak",
    )
    provider = models.ForeignKey(
        ProviderOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="gekozen aanbieder",
    )
    provider_chosen_at = models.DateTimeField("aanbieder gekozen op", null=True, blank=True)
    provider_reached_at = models.DateTimeField("aanbieder nam contact op", null=True, blank=True)
    created_by = models.CharField("aangemaakt door", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "identification"]
        verbose_name = "zaak"
        verbose_name_plural = "zaken"
        indexes = [
            models.Index(fields=["organisation", "end_date", "deadline"], name="case_queue_idx"),
            models.Index(fields=["assigned_to", "end_date"], name="case_assignee_idx"),
        ]

    def __str__(self) -> str:
        return self.identification

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class CaseStatus(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statuses")
    status_type = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("datum status gezet")
    explanation = models.CharField("statustoelichting", max_length=1000, blank=True)
    set_by = models.CharField("gezet door", max_length=150)

    class Meta:
        ordering = ["case", "set_at", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.status_type}"


class CaseResult(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="result")
    result_type = models.ForeignKey(ResultType, on_delete=models.PROTECT, related_name="+")
    explanation = models.CharField("toelichting", max_length=1000, blank=True)
    set_at = models.DateTimeField("vastgesteld op")
    set_by = models.CharField("vastgesteld door", max_length=150)

    def __str__(self) -> str:
        return f"{self.case}: {self.result_type}"


class CaseRole(models.Model):
    """Who is involved in a case, and how. Persons and businesses are identified as they
    were when the role was given (the ZGW betrokkeneIdentificatie), and linked to
    their party; employees by their user name."""

    class SubjectKind(models.TextChoices):
        PERSON = "natuurlijk_persoon", "Natuurlijk persoon"
        BUSINESS = "niet_natuurlijk_persoon", "Niet-natuurlijk persoon"
        EMPLOYEE = "medewerker", "Medewerker"
        ORGANISATION_UNIT = "organisatorische_eenheid", "Organisatorische eenheid"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    role_type = models.ForeignKey(RoleType, on_delete=models.PROTECT, related_name="+")
    subject_kind = models.CharField("betrokkenetype", max_length=30, choices=SubjectKind.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="case_roles"
    )
    identifier_type = models.CharField("soort identificatie", max_length=32, blank=True)
    identifier = models.CharField("identificatie", max_length=40, blank=True)
    explanation = models.CharField("roltoelichting", max_length=1000, blank=True)
    registered_at = models.DateTimeField("registratiedatum")

    class Meta:
        ordering = ["case", "registered_at", "id"]
        indexes = [
            models.Index(fields=["identifier_type", "identifier"], name="caserole_identifier_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind__in=["medewerker", "organisatorische_eenheid"])
                | Q(party__isnull=False),
                name="caserole_party_for_clients",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.role_type}"


class CaseDocument(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("titel", max_length=200)
    file = models.FileField("bestand", upload_to="zaakdocumenten/%Y/%m/")
    original_name = models.CharField("oorspronkelijke naam", max_length=255)
    content_type = models.CharField("soort bestand", max_length=100)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField("toegevoegd op")
    added_by = models.CharField("toegevoegd door", max_length=150)

    class Meta:
        ordering = ["case", "added_at", "id"]

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Afgerond"
    CANCELLED = "cancelled", "Vervallen"


class CaseTask(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    task_type = models.ForeignKey(TaskType, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("naam", max_length=100)
    state = models.CharField(
        "status", max_length=10, choices=TaskState.choices, default=TaskState.OPEN
    )
    added_by_choice = models.BooleanField(
        "toegevoegd door behandelaar",
        default=False,
        help_text="Een taak naar keuze die de behandelaar zelf toevoegde.",
    )
    reason = models.CharField("reden", max_length=500, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
    )
    due_on = models.DateField("uiterlijk op", null=True, blank=True)
    data = models.JSONField("vastgelegd", default=dict, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField("afgerond op", null=True, blank=True)
    completed_by = models.CharField("afgerond door", max_length=150, blank=True)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class DecisionEvaluation(models.Model):
    """One evaluation of a decision table: its inputs, its advice and what was decided.

    When the case worker decides otherwise than the advice, the outcome and the reason
    are stored next to the advice; the advice itself is never overwritten.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    task = models.ForeignKey(
        CaseTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluations"
    )
    table = models.ForeignKey(DecisionTable, on_delete=models.PROTECT, related_name="evaluations")
    table_sha256 = models.CharField(max_length=64)
    inputs = models.JSONField("invoer")
    advice = models.JSONField("advies")
    trace = models.JSONField("spoor", default=dict, help_text="Welke regel besliste.")
    outcome = models.JSONField("uitkomst")
    deviation_reason = models.TextField("reden van afwijken", blank=True)
    evaluated_at = models.DateTimeField()
    evaluated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["case", "evaluated_at", "id"]

    def __str__(self) -> str:
        return f"{self.table} voor {self.case}"

    @property
    def deviates(self) -> bool:
        return self.outcome != self.advice


class OfferState(models.TextChoices):
    OFFERED = "offered", "Aangeboden"
    ACCEPTED = "accepted", "Aanvaard"
    DECLINED = "declined", "Afgewezen"
    EXPIRED = "expired", "Verlopen"


class CaseOffer(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offers")
    offer_type = models.ForeignKey(OfferType, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_offers")
    state = models.CharField(
        "status", max_length=10, choices=OfferState.choices, default=OfferState.OFFERED
    )
    offered_at = models.DateTimeField()
    expires_on = models.DateField("geldig tot")
    answered_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "offered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "offer_type"], name="offer_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.offer_type} bij {self.case}"


class SecondOpinion(models.Model):
    """A second advice on a case's advice step, asked for by the applicant."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="second_opinion")
    first_task = models.ForeignKey(CaseTask, on_delete=models.PROTECT, related_name="+")
    second_task = models.ForeignKey(CaseTask, on_delete=models.PROTECT, related_name="+")
    committee = models.CharField("tweede commissie", max_length=100)
    cost_eur = models.DecimalField("kosten (euro)", max_digits=8, decimal_places=2)
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=150)
    adopted_points = models.JSONField("overgenomen punten", null=True, blank=True)

    def __str__(self) -> str:
        return f"Second opinion bij {self.case}"


class CaseEvent(models.Model):
    """The case history: every change, by whom, when, with what."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    kind = models.CharField(max_length=40)
    description = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class ResidentNotice(models.Model):
    """A message about a case for the resident: on their page, and by e-mail if asked."""

    class Channel(models.TextChoices):
        PORTAL = "portal", "Persoonlijke pagina"
        EMAIL = "email", "E-mail"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="case_notices")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    text = models.TextField()
    created_at = models.DateTimeField()
    event_id = models.UUIDField(help_text="The outbox event this notice answers.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "party", "channel"], name="notice_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.party_id} ({self.channel})"
