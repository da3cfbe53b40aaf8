"""Staff API representations of the reciprocity data and the guidance request."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from routing.models import SOURCED_FACTS, Jurisdiction, SourcedFacts, StateArrangement, UsState
from routing.reference import JURISDICTION_FACTS, US_STATE_FACTS, Knowledge, Language
from staff.api import StrictSerializerMixin

PLACE_HELP = "A code (US-TX, US, DE, CA-QC) or free text in English or Spanish (Texas, Alemania)."


#: Provenance fields every reference row shows; verification is set only by "mark verified".
SOURCED_FIELDS = [
    "knowledge",
    "needs_verification",
    "researched",
    "source",
    "source_date",
    "verified_by",
    "verified_at",
    "notes",
]
SOURCED_READ_ONLY = [name for name in SOURCED_FIELDS if name not in SOURCED_FACTS]


class SourcedFactsSerializer(serializers.ModelSerializer):
    """Adds the row's state of knowledge today, and who verified it."""

    knowledge = serializers.SerializerMethodField(
        help_text="verified (within REFERENCE_STALE_DAYS), sourced_unverified or unresearched."
    )
    needs_verification = serializers.SerializerMethodField(
        help_text="True unless staff verified the row within REFERENCE_STALE_DAYS."
    )
    verified_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who verified the row."
    )

    def get_knowledge(self, row: SourcedFacts) -> str:
        return row.knowledge_on(timezone.localdate()).value

    def get_needs_verification(self, row: SourcedFacts) -> bool:
        return row.knowledge_on(timezone.localdate()) is not Knowledge.VERIFIED


class JurisdictionSerializer(StrictSerializerMixin, SourcedFactsSerializer):
    # Facts that contradict each other (the Hague dates, a territory's sovereign) are judged in
    # one place, Jurisdiction.clean, when the service saves; staff.errors answers them as a 400
    # by field, like this serializer's own errors. (A docstring here would show in the schema.)
    class Meta:
        model = Jurisdiction
        fields = [*JURISDICTION_FACTS, *SOURCED_FIELDS, "updated_at"]
        read_only_fields = [*SOURCED_READ_ONLY, "updated_at"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("The code of an existing jurisdiction cannot change.")
        return value


class UsStateSerializer(StrictSerializerMixin, SourcedFactsSerializer):
    class Meta:
        model = UsState
        fields = [*US_STATE_FACTS, *SOURCED_FIELDS, "updated_at"]
        read_only_fields = ["code", *SOURCED_READ_ONLY, "updated_at"]


class ArrangementSerializer(StrictSerializerMixin, SourcedFactsSerializer):
    state = serializers.SlugRelatedField(slug_field="code", queryset=UsState.objects.all())
    country = serializers.SlugRelatedField(slug_field="code", queryset=Jurisdiction.objects.all())

    class Meta:
        model = StateArrangement
        fields = ["id", "state", "country", *SOURCED_FIELDS, "created_at"]
        read_only_fields = ["id", *SOURCED_READ_ONLY, "created_at"]
        validators = [
            UniqueTogetherValidator(
                queryset=StateArrangement.objects.all(),
                fields=["state", "country"],
                message="This state already has an arrangement with this country.",
            )
        ]


class GuidanceRequestSerializer(StrictSerializerMixin, serializers.Serializer):
    caller = serializers.CharField(
        max_length=200, help_text=f"Where the caller lives. {PLACE_HELP}"
    )
    other_parent = serializers.CharField(
        max_length=200,
        help_text=f"Where the other parent lives; also 'don't know' or 'military'. {PLACE_HELP}",
    )
    language = serializers.ChoiceField(
        choices=[language.value for language in Language], default=Language.EN.value
    )
    us_ties = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Other parent abroad works for a U.S. company or owns U.S. assets.",
    )
    third_country_order = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Caller abroad holds a support order from a third country.",
    )
    other_parent_military = serializers.BooleanField(required=False, default=False)


class PlaceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    phone_abroad = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class FactSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[
            "caller_state",
            "other_parent_state",
            "caller_jurisdiction",
            "other_parent_jurisdiction",
            "sovereign",
            "state_arrangement",
            "contact",
        ],
        help_text="What the row is for this answer.",
    )
    code = serializers.CharField(help_text="The row: TX, MQ, MA-CA-QC, ocss_irg…")
    knowledge = serializers.ChoiceField(choices=[k.value for k in Knowledge])
    # DRF's metaclass takes declared fields off the class: no clash with Field.source.
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    source_date = serializers.DateField(allow_null=True)
    verified_by = serializers.CharField(allow_blank=True)
    verified_on = serializers.DateField(allow_null=True)


class GuidanceResponseSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    language = serializers.CharField()
    caller_place = PlaceSerializer()
    other_parent_place = PlaceSerializer()
    message = serializers.CharField()
    contacts = ContactSerializer(many=True)
    faq = serializers.ListField(child=serializers.CharField())
    modifiers = serializers.ListField(child=serializers.CharField())
    follow_up = serializers.CharField(allow_null=True)
    needs_verification = serializers.BooleanField(
        help_text="Some row behind this answer is not verified (see facts)."
    )
    facts = FactSerializer(
        many=True, help_text="Every row the answer rests on, with its state of knowledge."
    )
