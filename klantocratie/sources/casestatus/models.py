"""The region's case-status register: where each resident's cases stand, at every organisation.

The partner organisations' own case systems report the current status of each case
here (a "lopende zaken" index); the case files themselves stay with the organisations.
"""

from django.db import models


class CaseStatus(models.Model):
    bsn = models.CharField("BSN", max_length=9)
    case_number = models.CharField("zaaknummer", max_length=40, unique=True)
    organisation = models.CharField("organisatie", max_length=200)
    case_type = models.CharField("zaaktype", max_length=200)
    status = models.CharField("huidige status", max_length=200)
    status_date = models.DateField("statusdatum")
    expected_end = models.DateField("verwachte einddatum", null=True, blank=True)
    # Empty while the case is open; set when the organisation closes it.
    closed_on = models.DateField("afgesloten op", null=True, blank=True)

    class Meta:
        verbose_name = "zaakstatus"
        verbose_name_plural = "zaakstatussen"
        indexes = [models.Index(fields=["bsn", "closed_on"], name="casestatus_bsn_idx")]

    def __str__(self) -> str:
        return self.case_number
