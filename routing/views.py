"""Staff REST API for the reciprocity data and guidance (contract §5)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from routing import services
from routing.guidance import Guidance, GuidanceInputError, guidance_get, place_describe
from routing.models import Jurisdiction, StateArrangement, UsState
from routing.reference import Knowledge
from routing.selectors import knowledge_condition
from routing.serializers import (
    ArrangementSerializer,
    GuidanceRequestSerializer,
    GuidanceResponseSerializer,
    JurisdictionSerializer,
    UsStateSerializer,
)
from staff.api import CanReadReferenceData, query_flag

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


class _ByCodeMixin:
    """Looks rows up by their code, whatever its case (``/countries/ca-qc/``)."""

    lookup_field = "code"
    lookup_value_regex = CODE_REGEX

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())
        self.check_object_permissions(self.request, obj)
        return obj


def _filter_flags(queryset: QuerySet, request: Request, *flags: str) -> QuerySet:
    for flag in flags:
        value = query_flag(request, flag)
        if value is not None:
            queryset = queryset.filter(**{flag: value})
    unverified = query_flag(request, "needs_verification")
    if unverified is not None:
        verified = knowledge_condition(Knowledge.VERIFIED, today=timezone.localdate())
        queryset = queryset.exclude(verified) if unverified else queryset.filter(verified)
    knowledge = request.query_params.get("knowledge")
    if knowledge is not None:
        if knowledge not in {k.value for k in Knowledge}:
            raise ValidationError({"knowledge": [f"Use one of: {', '.join(Knowledge)}."]})
        queryset = queryset.filter(knowledge_condition(knowledge, today=timezone.localdate()))
    search = request.query_params.get("search", "").strip()
    if search:
        queryset = queryset.filter(
            Q(code__iexact=search) | Q(name__icontains=search) | Q(name_es__icontains=search)
        )
    return queryset


_SEARCH = OpenApiParameter("search", str, description="Code, or part of the English/Spanish name")
_KNOWLEDGE = OpenApiParameter(
    "knowledge", str, enum=[k.value for k in Knowledge], description="State of knowledge today"
)


@extend_schema(
    parameters=[
        _SEARCH,
        _KNOWLEDGE,
        OpenApiParameter("needs_verification", bool),
        OpenApiParameter("frc", bool),
        OpenApiParameter("hague_party", bool),
    ]
)
class JurisdictionViewSet(_ByCodeMixin, viewsets.ModelViewSet):
    """Foreign countries and the parts of countries with their own status."""

    serializer_class = JurisdictionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return _filter_flags(
            Jurisdiction.objects.select_related("verified_by"), self.request, "frc", "hague_party"
        )

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


@extend_schema(parameters=[_SEARCH, _KNOWLEDGE, OpenApiParameter("needs_verification", bool)])
class UsStateViewSet(
    _ByCodeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """U.S. states, DC and territories with their child support agency."""

    serializer_class = UsStateSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return _filter_flags(UsState.objects.select_related("verified_by"), self.request)

    def perform_update(self, serializer):
        serializer.instance = services.state_update(
            state=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="Postal code, e.g. MA"),
        OpenApiParameter("country", str, description="Jurisdiction code, e.g. CA-QC"),
    ]
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

    def get_queryset(self) -> QuerySet:
        queryset = StateArrangement.objects.select_related("state", "country", "verified_by")
        for param in ("state", "country"):
            value = self.request.query_params.get(param)
            if value:
                queryset = queryset.filter(**{f"{param}__code": value.upper()})
        return queryset

    def perform_create(self, serializer):
        serializer.instance = services.arrangement_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.arrangement_delete(arrangement=instance, actor=self.request.user)
