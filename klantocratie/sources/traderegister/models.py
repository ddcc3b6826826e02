"""The Chamber of Commerce's trade register, keyed by KvK number.

Owners and directors are recorded by BSN, so the register can answer both "what does
this business look like" and "which businesses does this person run".
"""

from django.db import models


class LegalForm(models.TextChoices):
    SOLE_PROPRIETORSHIP = "eenmanszaak", "Eenmanszaak"
    GENERAL_PARTNERSHIP = "vof", "Vennootschap onder firma"
    PRIVATE_COMPANY = "bv", "Besloten vennootschap"
    FOUNDATION = "stichting", "Stichting"


class Business(models.Model):
    kvk_number = models.CharField("KvK-nummer", max_length=8, unique=True)
    # Only legal entities and partnerships have an RSIN; a sole proprietorship has none.
    rsin = models.CharField("RSIN", max_length=9, blank=True)
    trade_name = models.CharField("handelsnaam", max_length=200)
    legal_form = models.CharField("rechtsvorm", max_length=12, choices=LegalForm.choices)
    sbi_code = models.CharField("SBI-code", max_length=5)
    sbi_description = models.CharField("SBI-omschrijving", max_length=200)
    address = models.CharField("bezoekadres", max_length=300)
    home_based = models.BooleanField("thuisgevestigd", default=False)
    registration_date = models.DateField("inschrijfdatum")

    class Meta:
        verbose_name = "onderneming"
        verbose_name_plural = "ondernemingen"

    def __str__(self) -> str:
        return f"{self.kvk_number} {self.trade_name}"


class Role(models.TextChoices):
    OWNER = "eigenaar", "eigenaar"
    PARTNER = "vennoot", "vennoot"
    DIRECTOR = "bestuurder", "bestuurder"


class BusinessRole(models.Model):
    business = models.ForeignKey(
        Business,
        to_field="kvk_number",
        db_column="kvk_number",
        on_delete=models.CASCADE,
        related_name="roles",
    )
    bsn = models.CharField("BSN", max_length=9, db_index=True)
    role = models.CharField("rol", max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = "functionaris"
        verbose_name_plural = "functionarissen"

    def __str__(self) -> str:
        return f"{self.bsn} {self.role} {self.business_id}"


class Establishment(models.Model):
    business = models.ForeignKey(
        Business,
        to_field="kvk_number",
        db_column="kvk_number",
        on_delete=models.CASCADE,
        related_name="establishments",
    )
    establishment_number = models.CharField("vestigingsnummer", max_length=12, unique=True)
    address = models.CharField("adres", max_length=300)
    is_main = models.BooleanField("hoofdvestiging", default=False)

    class Meta:
        verbose_name = "vestiging"
        verbose_name_plural = "vestigingen"

    def __str__(self) -> str:
        return self.establishment_number
