"""Staff REST API for the reciprocity data and guidance (contract §5)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from routing import services
from routing.filters import ArrangementFilterSet, JurisdictionFilterSet, UsStateFilterSet
from routing.guidance import Guidance, GuidanceInputError, guidance_get, place_describe
from routing.models import Jurisdiction, StateArrangement, UsState
from routing.serializers import (
    ArrangementSerializer,
    GuidanceRequestSerializer,
    GuidanceResponseSerializer,
    JurisdictionSerializer,
    UsStateSerializer,
)
from staff.api import CanReadReferenceData

CODE_REGEX = r"[A-Za-z0-9-]+"


class GuidanceView(APIView):
    """Run the decision table on two places, without a conversation."""

    permission_classes = [CanReadReferenceData]

    @extend_schema(request=GuidanceRequestSerializer, responses=GuidanceResponseSerializer)
    def post(self, request: Request) -> Response:
        serializer = GuidanceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            guidance = guidance_get(**serializer.validated_data)
        except GuidanceInputError as error:
            return Response(_problems_body(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(_guidance_body(guidance))


def _problems_body(error: GuidanceInputError) -> dict:
    body: dict = {problem.field: [problem.message] for problem in error.problems}
    body["candidates"] = {
        problem.field: [
            place_describe(place, reference=error.reference, language="en")
            for place in problem.candidates
        ]
        for problem in error.problems
    }
    return body


def _guidance_body(guidance: Guidance) -> dict:
    decision = guidance.decision
    reference, language = guidance.reference, guidance.language
    return {
        "outcome": decision.outcome.value,
        "language": language,
        "caller_place": place_describe(guidance.caller, reference=reference, language=language),
        "other_parent_place": place_describe(
            guidance.other_parent, reference=reference, language=language
        ),
        "message": guidance.message,
        "contacts": [
            {
                "kind": contact.kind,
                "name": contact.name,
                "phone": contact.phone,
                "phone_abroad": contact.phone_abroad,
                "url": contact.url,
                "email": contact.email,
            }
            for contact in decision.contacts
        ],
        "faq": list(decision.faq),
        "modifiers": [modifier.value for modifier in decision.modifiers],
        "follow_up": decision.follow_up.value if decision.follow_up else None,
        "needs_verification": decision.unconfirmed,
        "facts": [
            {
                "role": fact.role,
                "code": fact.code,
                "knowledge": fact.knowledge.value,
                "source": fact.provenance.source,
                "source_date": fact.provenance.source_date,
                "verified_by": fact.provenance.verified_by,
                "verified_on": fact.provenance.verified_on,
            }
            for fact in decision.facts
        ],
    }


class _ByCodeMixin(generics.GenericAPIView):
    """Looks rows up by their code, whatever its case (``/countries/ca-qc/``)."""

    lookup_field = "code"
    lookup_value_regex = CODE_REGEX

    def get_object(self):
        obj = get_object_or_404(
            self.filter_queryset(self.get_queryset()), code=self.kwargs["code"].upper()
        )
        self.check_object_permissions(self.request, obj)
        return obj


class JurisdictionViewSet(_ByCodeMixin, viewsets.ModelViewSet):
    """Foreign countries and the parts of countries with their own status."""

    serializer_class = JurisdictionSerializer
    filterset_class = JurisdictionFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return Jurisdiction.objects.select_related("verified_by")

    def perform_create(self, serializer):
        serializer.instance = services.jurisdiction_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.jurisdiction_update(
            jurisdiction=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.jurisdiction_delete(jurisdiction=instance, actor=self.request.user)


class UsStateViewSet(
    _ByCodeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """U.S. states, DC and territories with their child support agency."""

    serializer_class = UsStateSerializer
    filterset_class = UsStateFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return UsState.objects.select_related("verified_by")

    def perform_update(self, serializer):
        serializer.instance = services.state_update(
            state=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class ArrangementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """State-level reciprocity between one U.S. state and one foreign jurisdiction."""

    serializer_class = ArrangementSerializer
    filterset_class = ArrangementFilterSet

    def get_queryset(self) -> QuerySet:
        return StateArrangement.objects.select_related("state", "country", "verified_by")

    def perform_create(self, serializer):
        serializer.instance = services.arrangement_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.arrangement_delete(arrangement=instance, actor=self.request.user)
