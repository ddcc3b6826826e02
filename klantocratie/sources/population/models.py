"""The municipality's population register (BRP), keyed by BSN.

Residence and family relations carry validity periods so the register can answer
what a household looked like at any date: births, moves and children leaving home.
"""

from typing import Any

from django.db import models


class Gender(models.TextChoices):
    # The BRP's own codes; readers turn them into the words users read.
    MALE = "M", "man"
    FEMALE = "V", "vrouw"
    UNKNOWN = "O", "onbekend"


class Person(models.Model):
    bsn = models.CharField("BSN", max_length=9, unique=True)
    given_names = models.CharField("voornamen", max_length=200, blank=True)
    surname_prefix = models.CharField("voorvoegsel", max_length=20, blank=True)
    surname = models.CharField("geslachtsnaam", max_length=200)
    # ISO 8601 with reduced precision ("1978-06", "1970") because the BRP records
    # incomplete birth dates as such; empty when wholly unknown.
    birth_date = models.CharField("geboortedatum", max_length=10, blank=True)
    birth_place = models.CharField("geboorteplaats", max_length=100, blank=True)
    gender = models.CharField(
        "geslacht", max_length=1, choices=Gender.choices, default=Gender.UNKNOWN
    )
    # The BRP keeps the deceased; a partner's death is a life event for the survivor.
    death_date = models.DateField("datum overlijden", null=True, blank=True)

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        # The desk finds a client by name and birth date: the date narrows it down.
        indexes = [models.Index(fields=["birth_date"], name="person_birth_date_idx")]

    def __str__(self) -> str:
        return self.bsn


class Residence(models.Model):
    """Where a person lived from valid_from until valid_to (null: lives there now)."""

    bsn = models.CharField("BSN", max_length=9)
    street = models.CharField("straat", max_length=200, blank=True)
    house_number = models.PositiveIntegerField("huisnummer", null=True, blank=True)
    house_letter = models.CharField("huisletter", max_length=1, blank=True)
    house_number_addition = models.CharField("huisnummertoevoeging", max_length=4, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    city = models.CharField("woonplaats", max_length=200, blank=True)
    buurt_code = models.CharField("buurtcode", max_length=10, blank=True)
    # One indexed column identifying the dwelling (postcode, number, letter, addition),
    # so the co-residents of a household are found with a single index lookup. Null for
    # addresses abroad, which have no Dutch postcode. save() derives it; bulk loaders,
    # which bypass save(), call make_address_key themselves.
    address_key = models.CharField(max_length=24, null=True, blank=True, editable=False)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot", null=True, blank=True)

    class Meta:
        verbose_name = "verblijfplaats"
        verbose_name_plural = "verblijfplaatsen"
        indexes = [
            models.Index(fields=["bsn", "valid_to"], name="residence_bsn_idx"),
            models.Index(fields=["address_key"], name="residence_address_idx"),
            # The desk finds a client by postcode and house number, with or without letter.
            models.Index(
                fields=["postcode", "house_number", "valid_to"], name="residence_postcode_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bsn} {self.street} {self.house_number or ''}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.address_key = self.make_address_key(
            self.postcode, self.house_number, self.house_letter, self.house_number_addition
        )
        super().save(*args, **kwargs)

    @staticmethod
    def make_address_key(
        postcode: str, house_number: int | None, house_letter: str, house_number_addition: str
    ) -> str | None:
        if not postcode or house_number is None:
            return None
        return f"{postcode}|{house_number}|{house_letter}|{house_number_addition}"


class RelationKind(models.TextChoices):
    PARTNER = "partner", "partner"
    CHILD = "child", "kind"
    PARENT = "parent", "ouder"


class FamilyRelation(models.Model):
    """related_bsn is bsn's partner, child or parent. Stored in both directions."""

    bsn = models.CharField("BSN", max_length=9)
    related_bsn = models.CharField("BSN gerelateerde", max_length=9)
    kind = models.CharField("soort", max_length=8, choices=RelationKind.choices)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot", null=True, blank=True)

    class Meta:
        verbose_name = "familierelatie"
        verbose_name_plural = "familierelaties"
        indexes = [models.Index(fields=["bsn", "related_bsn"], name="familyrelation_bsn_idx")]

    def __str__(self) -> str:
        return f"{self.bsn} {self.kind} {self.related_bsn}"
