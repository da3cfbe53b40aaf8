"""Reciprocity data that staff own: foreign jurisdictions, U.S. agencies, state arrangements."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from routing.reference import Knowledge, Provenance

jurisdiction_code_validator = RegexValidator(
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    "Use an ISO 3166-1 alpha-2 code (DE) or an ISO 3166-2 code for a part of a country (CA-QC).",
)
state_code_validator = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter postal code (TX).")


#: What "mark verified" writes; every other stored field of a reference row is a fact.
VERIFICATION_FIELDS = frozenset({"researched", "verified_by", "verified_at", "updated_at"})
#: Not facts: who vouched for them, when the row was written, and staff notes (never said to a
#: caller), so none of them clears a verification.
NOT_FACTS = frozenset({"verified_by", "verified_at", "updated_at", "created_at", "notes"})
#: Where a row's facts come from, as staff write it (the API and the CSV files share it);
#: verification is set only by "mark verified" in the admin.
SOURCED_FACTS = ("researched", "source", "source_date", "notes")


class SourcedFacts(models.Model):
    """Facts staff must be able to trace and confirm: where they come from, as of when, and
    whether anyone has checked them.

    Three states of knowledge follow (``routing.reference.Knowledge``): verified (someone
    confirmed the row within ``REFERENCE_STALE_DAYS``), sourced but unverified (``researched``),
    and unresearched (the default: nobody has looked, so an absence is not a settled "no").
    """

    researched = models.BooleanField(
        "looked up in a source",
        default=False,
        help_text="Someone took these facts from the source named below. Leave unticked for "
        "rows nobody has researched: callers are then told the answer is not confirmed.",
    )
    source_date = models.DateField(
        "source as of",
        null=True,
        blank=True,
        help_text="The day the source was read (or its own date, when later).",
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

    #: The facts as read from the database (rows ``from_db`` only), to see what a save changes.
    _loaded_facts: dict[str, object] | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """A verification vouches for the facts it saw: when a fact differs from what was
        loaded from the database (an edit in the admin, the API, a CSV import, an HCCH import),
        the row is no longer verified. Verification's own save (``update_fields`` within
        ``VERIFICATION_FIELDS``) keeps it."""
        update_fields = kwargs.get("update_fields")
        verifying = update_fields is not None and set(update_fields) <= VERIFICATION_FIELDS
        loaded = self._loaded_facts
        if not verifying and loaded is not None and (self.verified_at or self.verified_by_id):
            now = self._facts()
            if any(now[name] != value for name, value in loaded.items() if name in now):
                self.verified_by = None
                self.verified_at = None
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "verified_by", "verified_at"}
        super().save(*args, **kwargs)
        self._loaded_facts = self._facts()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        row = super().from_db(db, field_names, values, **kwargs)
        row._loaded_facts = row._facts()
        return row

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._loaded_facts = {**(self._loaded_facts or {}), **self._facts()}

    def _facts(self) -> dict[str, object]:
        """The row's facts as they stand (those loaded: a deferred field is not read)."""
        return {
            field.attname: self.__dict__[field.attname]
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
            and not field.primary_key
            and field.name not in NOT_FACTS
        }

    def knowledge_on(self, day: datetime.date) -> Knowledge:
        """The row's state of knowledge on ``day`` (a verification older than
        ``REFERENCE_STALE_DAYS`` no longer counts)."""
        return self.provenance().knowledge_on(day, stale_days=settings.REFERENCE_STALE_DAYS)

    def provenance(self) -> Provenance:
        verified_by = self.verified_by.get_username() if self.verified_by else ""
        return Provenance.from_columns(
            self.source, self.source_date, self.researched, verified_by, self.verified_at
        )


class Jurisdiction(SourcedFacts):
    """A foreign country, or a part of one with its own status (``CA-QC``)."""

    code = models.CharField(max_length=6, unique=True, validators=[jurisdiction_code_validator])
    name = models.CharField(max_length=120)
    name_es = models.CharField("name in Spanish", max_length=120, blank=True)
    name_es_article = models.CharField(
        "article of the Spanish name",
        max_length=3,
        blank=True,
        choices=[("el", "el"), ("la", "la"), ("los", "los"), ("las", "las")],
        help_text="For names Spanish says with an article: 'la' gives 'con la República "
        "Dominicana'.",
    )
    part_of = models.CharField(
        "territory of",
        max_length=6,
        blank=True,
        validators=[jurisdiction_code_validator],
        help_text="For a territory where its sovereign's treaties apply (Martinique: FR, "
        "Gibraltar: GB), the sovereign's code: the sovereign's row then decides the status.",
    )
    hague_party = models.BooleanField(
        "party to the 2007 Hague Convention",
        default=False,
    )
    hague_in_force_for_country = models.DateField(
        "Hague Convention in force for this country since", null=True, blank=True
    )
    hague_us_objection = models.DateField(
        "U.S. objected to its accession on",
        null=True,
        blank=True,
        help_text="While the objection stands the Convention does not apply with the U.S. "
        "A party with neither this date nor a date in force with the U.S. is shown as "
        "'not established'.",
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
        errors = jurisdiction_errors(
            code=self.code,
            part_of=self.part_of,
            hague_party=self.hague_party,
            hague_in_force_with_us=self.hague_in_force_with_us,
            hague_us_objection=self.hague_us_objection,
        )
        if errors:
            raise ValidationError(errors)


def jurisdiction_errors(
    *,
    code: str,
    part_of: str,
    hague_party: bool,
    hague_in_force_with_us: datetime.date | None,
    hague_us_objection: datetime.date | None,
) -> dict[str, str]:
    """Facts that contradict each other, by field (the admin and the API show them alike)."""
    errors = {}
    if hague_in_force_with_us and not hague_party:
        errors["hague_in_force_with_us"] = "Only a party to the Convention can have it in force."
    if hague_in_force_with_us and hague_us_objection:
        errors["hague_us_objection"] = "Clear the objection or the date in force with the U.S."
    if part_of and part_of == code:
        errors["part_of"] = "A territory belongs to another jurisdiction."
    elif part_of and not Jurisdiction.objects.filter(code=part_of, part_of="").exists():
        errors["part_of"] = "Name an existing jurisdiction that is not itself a territory."
    elif part_of and (territories := territories_of(code)):
        errors["part_of"] = (
            f"Territories follow this jurisdiction ({', '.join(territories)}): a sovereign "
            "cannot itself be a territory. Make them follow another jurisdiction first."
        )
    return errors


def territories_of(code: str) -> list[str]:
    """The codes of the territories whose status follows the jurisdiction ``code``."""
    if not code:
        return []
    return list(
        Jurisdiction.objects.filter(part_of=code).exclude(code=code).values_list("code", flat=True)
    )


class UsState(SourcedFacts):
    """A U.S. state, DC or territory and its child support agency."""

    code = models.CharField(max_length=2, unique=True, validators=[state_code_validator])
    name = models.CharField(max_length=80)
    name_es = models.CharField("name in Spanish", max_length=80, blank=True)
    agency_name = models.CharField(max_length=200)
    agency_name_es = models.CharField(
        "agency name in Spanish",
        max_length=200,
        blank=True,
        help_text="What Spanish answers call the agency; empty: they use the English name.",
    )
    agency_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="Leave empty when unknown: callers are then sent to the OCSS agency map.",
    )
    agency_phone_abroad = models.CharField(
        "agency phone from abroad",
        max_length=40,
        blank=True,
        help_text="A number the agency publishes for callers outside the U.S. (+1-…).",
    )
    agency_url = models.URLField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "U.S. state or territory"
        verbose_name_plural = "U.S. states and territories"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class StateArrangement(SourcedFacts):
    """A reciprocity arrangement between one U.S. state and one foreign jurisdiction."""

    state = models.ForeignKey(UsState, on_delete=models.CASCADE, related_name="arrangements")
    country = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="arrangements")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["state__code", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["state", "country"], name="unique_state_arrangement")
        ]

    def __str__(self) -> str:
        return f"{self.state.code} - {self.country.code}"


class FederalContact(SourcedFacts):
    """A federal or international office the guidance points to (the OCSS map, the IRG…)."""

    kind = models.SlugField(
        max_length=60, unique=True, help_text="Stable name the engine and API clients use."
    )
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    phone_abroad = models.CharField("phone from abroad", max_length=40, blank=True)
    url = models.URLField(max_length=300, blank=True)
    email = models.EmailField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = "federal contact"

    def __str__(self) -> str:
        return self.name


class ReferenceVersion(models.Model):
    """One row whose ``token`` changes whenever the reciprocity tables change.

    Database triggers (migrations 0005 and 0006) replace the token in the same statement and
    transaction as any write to jurisdictions, states, arrangements or federal contacts,
    whatever made it (the admin, the API, a CSV import, a data migration, an operator's SQL).
    A process may keep
    what it read while the token it sees is the one it read with. The token is random, not a
    counter, so a rolled-back edit can never hand a later, different edit the same token.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class HcchImport(models.Model):
    """A saved HCCH status table compared with the data: staff read the changes in the admin
    and apply them (or discard them); nothing changes before that."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for staff"
        APPLIED = "applied", "applied"
        DISCARDED = "discarded", "discarded"

    file_name = models.CharField(max_length=200)
    table_as_of = models.DateField(help_text="The day the table was saved from hcch.net.")
    changes = models.JSONField(
        default=list, help_text="[{code, name, field, old, new}] for each field that differs."
    )
    unmatched = models.JSONField(default=list, help_text="States of the table not in the data.")
    not_in_table = models.JSONField(
        default=list, help_text="Parties in the data that the table does not list (not changed)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "HCCH status table import"

    def __str__(self) -> str:
        return f"{self.file_name} (as of {self.table_as_of}, {self.get_status_display()})"
