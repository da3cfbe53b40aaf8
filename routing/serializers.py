"""Staff API representations of the reciprocity data and the guidance request."""

from __future__ import annotations

from rest_framework import serializers

from hotline.api import StrictSerializerMixin
from routing.models import Jurisdiction, StateArrangement, UsState

PLACE_HELP = "A code (US-TX, US, DE, CA-QC) or free text in English or Spanish (Texas, Alemania)."


class JurisdictionSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = [
            "code",
            "name",
            "name_es",
            "hague_party",
            "hague_in_force_with_us",
            "frc",
            "central_authority_name",
            "central_authority_url",
            "central_authority_phone",
            "needs_verification",
            "source",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("The code of an existing jurisdiction cannot change.")
        return value

    def validate(self, attrs):
        hague_party = attrs.get("hague_party", getattr(self.instance, "hague_party", False))
        in_force = attrs.get(
            "hague_in_force_with_us", getattr(self.instance, "hague_in_force_with_us", None)
        )
        if in_force and not hague_party:
            raise serializers.ValidationError(
                {"hague_in_force_with_us": ["Only a party to the Convention can have it in force."]}
            )
        return attrs


class UsStateSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = UsState
        fields = [
            "code",
            "name",
            "name_es",
            "agency_name",
            "agency_phone",
            "agency_url",
            "needs_verification",
            "source",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["code", "updated_at"]


class ArrangementSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="code", queryset=UsState.objects.all())
    country = serializers.SlugRelatedField(slug_field="code", queryset=Jurisdiction.objects.all())

    class Meta:
        model = StateArrangement
        fields = ["id", "state", "country", "notes", "source", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = [
            serializers.UniqueTogetherValidator(
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
    language = serializers.ChoiceField(choices=["en", "es"], default="en")
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
        help_text="Some fact behind this answer is not yet confirmed by staff."
    )
