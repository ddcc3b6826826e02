"""The shared knowledge base: national products, life events, answers and local variants."""

import uuid

from django.db import models

from klantocratie.registry.models import Organisation


class Audience(models.TextChoices):
    RESIDENT = "inwoner", "Inwoner"
    BUSINESS = "ondernemer", "Ondernemer"
    EVERYONE = "iedereen", "Inwoner en ondernemer"


class Product(models.Model):
    """A product or service from the national Uniforme Productnamenlijst (UPL)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("uniforme productnaam", max_length=255)
    uri = models.URLField("URI", max_length=255, unique=True)
    # Which government layers offer it (UPL columns Rijk, Provincie, Waterschap, Gemeente).
    by_national_government = models.BooleanField("Rijk", default=False)
    by_province = models.BooleanField("provincie", default=False)
    by_water_board = models.BooleanField("waterschap", default=False)
    by_municipality = models.BooleanField("gemeente", default=False)
    for_residents = models.BooleanField("voor inwoners", default=False)
    for_businesses = models.BooleanField("voor ondernemers", default=False)
    is_application = models.BooleanField("aanvraag", default=False)
    is_subsidy = models.BooleanField("subsidie", default=False)
    is_notification = models.BooleanField("melding", default=False)
    is_obligation = models.BooleanField("verplichting", default=False)
    services_directive = models.BooleanField("Dienstenrichtlijn", default=False)
    autonomous = models.BooleanField("autonomie", default=False)
    co_governance = models.BooleanField("medebewind", default=False)
    digid_mandate = models.BooleanField("DigiD Machtigen", default=False)
    # A product can rest on several articles; the UPL repeats the product once per article.
    legal_bases = models.JSONField("wettelijke grondslagen", default=list, blank=True)
    sdg_code = models.CharField(
        "SDG-codes", max_length=64, blank=True, help_text="Single Digital Gateway, bijv. E1;G1."
    )
    sdg_areas = models.CharField("SDG-informatiegebieden", max_length=500, blank=True)
    keywords = models.CharField(
        "trefwoorden",
        max_length=500,
        blank=True,
        help_text="Woorden die inwoners gebruiken, gescheiden door komma's.",
    )
    last_reviewed = models.DateField("laatst beoordeeld")

    class Meta:
        ordering = ["name"]
        verbose_name = "product"
        verbose_name_plural = "producten"

    def __str__(self) -> str:
        return self.name

    @property
    def source_name(self) -> str:
        return "Uniforme Productnamenlijst (UPL)"

    @property
    def source_url(self) -> str:
        return self.uri


class LifeEvent(models.Model):
    """A moment in life that brings a person into contact with several organisations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField("naam", max_length=120)
    description = models.TextField("omschrijving", blank=True)
    audience = models.CharField(
        "doelgroep", max_length=16, choices=Audience.choices, default=Audience.RESIDENT
    )
    position = models.PositiveSmallIntegerField("volgorde", default=0)
    products = models.ManyToManyField(
        Product, related_name="life_events", blank=True, verbose_name="producten"
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "levensgebeurtenis"
        verbose_name_plural = "levensgebeurtenissen"

    def __str__(self) -> str:
        return self.name


class AnswerStatus(models.TextChoices):
    ACTIVE = "actief", "Actief"
    INACTIVE = "inactief", "Inactief"


class QuestionAnswer(models.Model):
    """A question as clients ask it, with the answer an agent of any organisation can give."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Vaste sleutel, ook gebruikt in pakketbestanden."
    )
    question = models.CharField("vraag", max_length=300)
    answer = models.TextField("antwoord")
    status = models.CharField(
        "status", max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.ACTIVE
    )
    audience = models.CharField(
        "doelgroep", max_length=16, choices=Audience.choices, default=Audience.RESIDENT
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="knowledge_answers", blank=True, verbose_name="organisaties"
    )
    departments = models.CharField("afdelingen", max_length=255, blank=True)
    keywords = models.CharField(
        "trefwoorden",
        max_length=500,
        blank=True,
        help_text="Woorden die inwoners gebruiken, gescheiden door komma's.",
    )
    life_events = models.ManyToManyField(
        LifeEvent, related_name="answers", blank=True, verbose_name="levensgebeurtenissen"
    )
    products = models.ManyToManyField(
        Product, related_name="answers", blank=True, verbose_name="producten"
    )
    related_questions = models.ManyToManyField(
        "self", blank=True, verbose_name="gerelateerde vragen"
    )
    source_name = models.CharField("bron", max_length=200)
    source_url = models.URLField("bron-URL", max_length=500, blank=True)
    last_reviewed = models.DateField("laatst beoordeeld")

    class Meta:
        ordering = ["question"]
        verbose_name = "vraag en antwoord"
        verbose_name_plural = "vragen en antwoorden"

    def __str__(self) -> str:
        return self.question


class LocalVariant(models.Model):
    """How one municipality offers a national product: fee, conditions, opening hours, links."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="local_variants", verbose_name="product"
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="local_variants",
        verbose_name="gemeente",
    )
    fee = models.DecimalField("tarief (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    fee_note = models.CharField("toelichting tarief", max_length=255, blank=True)
    conditions = models.TextField("lokale voorwaarden", blank=True)
    opening_hours = models.TextField("openingstijden", blank=True)
    links = models.JSONField(
        "links", default=list, blank=True, help_text='Lijst van {"titel": ..., "url": ...}.'
    )
    source_name = models.CharField("bron", max_length=200)
    source_url = models.URLField("bron-URL", max_length=500, blank=True)
    last_reviewed = models.DateField("laatst beoordeeld")

    class Meta:
        ordering = ["product__name"]
        verbose_name = "lokale variant"
        verbose_name_plural = "lokale varianten"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "municipality"], name="knowledge_one_variant_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.municipality}"


class DocumentKind(models.TextChoices):
    ANSWER = "antwoord", "Antwoord"
    PRODUCT = "product", "Product"


class SearchDocument(models.Model):
    """The searchable text of one answer or product, kept in step by the services.

    Its Dutch stems (compound parts included) go to the database's full-text table,
    keyed by this row's id (see ``backends``). ``embedding`` caches the sentence-encoder
    vector of ``embedding_text``; ``embedding_key`` tells when it is stale.
    """

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    object_uuid = models.UUIDField(unique=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    embedding_text = models.TextField()
    # Curated documents (answers, products the region describes) outrank the bare UPL list.
    boost = models.FloatField(default=1.0)
    embedding = models.BinaryField(null=True)
    embedding_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "zoekdocument"
        verbose_name_plural = "zoekdocumenten"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
