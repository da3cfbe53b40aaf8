"""Reciprocity data that staff own: foreign jurisdictions, U.S. agencies, state arrangements."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

jurisdiction_code_validator = RegexValidator(
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    "Use an ISO 3166-1 alpha-2 code (DE) or an ISO 3166-2 code for a part of a country (CA-QC).",
)
state_code_validator = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter postal code (TX).")


class SourcedFacts(models.Model):
    """Facts staff must be able to trace and confirm: where they come from, and whether
    anyone has checked them yet."""

    needs_verification = models.BooleanField(
        default=False, help_text="The facts in this row are not yet confirmed by staff."
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Jurisdiction(SourcedFacts):
    """A foreign country, or a part of one with its own status (``CA-QC``)."""

    code = models.CharField(max_length=6, unique=True, validators=[jurisdiction_code_validator])
    name = models.CharField(max_length=120)
    name_es = models.CharField("name in Spanish", max_length=120, blank=True)
    hague_party = models.BooleanField(
        "party to the 2007 Hague Convention",
        default=False,
    )
    hague_in_force_with_us = models.DateField(
        "Hague Convention in force with the U.S. since",
        null=True,
        blank=True,
        help_text="Leave empty where the Convention does not apply with the U.S. "
        "(not a party, or the U.S. objected, as with Guyana and Azerbaijan).",
    )
    frc = models.BooleanField("U.S. Foreign Reciprocating Country", default=False)
    central_authority_name = models.CharField(max_length=200, blank=True)
    central_authority_url = models.URLField(max_length=300, blank=True)
    central_authority_phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "country or jurisdiction"
        verbose_name_plural = "countries and jurisdictions"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.hague_in_force_with_us and not self.hague_party:
            raise ValidationError(
                {"hague_in_force_with_us": "Only a party to the Convention can have it in force."}
            )


class UsState(SourcedFacts):
    """A U.S. state, DC or territory and its child support agency."""

    code = models.CharField(max_length=2, unique=True, validators=[state_code_validator])
    name = models.CharField(max_length=80)
    name_es = models.CharField("name in Spanish", max_length=80, blank=True)
    agency_name = models.CharField(max_length=200)
    agency_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="Leave empty when unknown: callers are then sent to the OCSS agency map.",
    )
    agency_url = models.URLField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "U.S. state or territory"
        verbose_name_plural = "U.S. states and territories"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class StateArrangement(models.Model):
    """A reciprocity arrangement between one U.S. state and one foreign jurisdiction."""

    state = models.ForeignKey(UsState, on_delete=models.CASCADE, related_name="arrangements")
    country = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="arrangements")
    notes = models.TextField(blank=True)
    source = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["state__code", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["state", "country"], name="unique_state_arrangement")
        ]

    def __str__(self) -> str:
        return f"{self.state.code} - {self.country.code}"


class ReferenceVersion(models.Model):
    """One row whose ``token`` changes whenever the reciprocity tables change.

    Database triggers (migration 0005) replace the token in the same statement and
    transaction as any write to jurisdictions, states or arrangements, whatever made it (the
    admin, the API, a CSV import, a data migration, an operator's SQL). A process may keep
    what it read while the token it sees is the one it read with. The token is random, not a
    counter, so a rolled-back edit can never hand a later, different edit the same token.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
