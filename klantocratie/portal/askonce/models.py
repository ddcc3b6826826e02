"""Request forms: one row per version of a form, as loaded from the pack.

The fields are kept as the checked, plain list the loader produced (see
:mod:`klantocratie.portal.askonce.definitions` for their meaning); policy staff change a
form in its YAML file and load it, never in code. A published version does not change:
the loader refuses different content for it, so a submitted request can always be traced
to the exact form text the resident saw.
"""

from __future__ import annotations

from datetime import date

from django.db import models


class FormState(models.TextChoices):
    DRAFT = "draft", "Concept"
    PUBLISHED = "published", "Gepubliceerd"


class RequestForm(models.Model):
    code = models.SlugField("code", max_length=50)
    version = models.PositiveIntegerField("versie")
    state = models.CharField("status", max_length=10, choices=FormState.choices)
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    title = models.CharField("titel", max_length=100)
    intro = models.TextField("inleiding")
    case_type = models.CharField("zaaktype", max_length=50)
    # "person" and/or "organisation" (registry PartyType values): who may use the form.
    party_types = models.JSONField("voor", default=list)
    # The case description, with {field} placeholders, unless a field fills it.
    description = models.CharField("zaakomschrijving", max_length=200, blank=True)
    fields = models.JSONField("velden", default=list)
    source_file = models.CharField("bestand", max_length=200)
    content_sha256 = models.CharField("vingerafdruk", max_length=64)
    loaded_at = models.DateTimeField("geladen op", auto_now=True)

    class Meta:
        verbose_name = "aanvraagformulier"
        verbose_name_plural = "aanvraagformulieren"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="requestform_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.state == FormState.PUBLISHED

    def in_force_on(self, on: date) -> bool:
        return (
            self.is_published
            and self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
        )
