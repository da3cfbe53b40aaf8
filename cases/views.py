"""Staff REST API for conversations, the handoff queue and the message log (contract §5)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cases import handoffs, selectors
from cases.models import Channel, Handoff, Message
from cases.serializers import (
    ConversationSerializer,
    HandoffReplySerializer,
    HandoffResolveSerializer,
    HandoffSerializer,
    MessageSerializer,
)
from staff.api import can_see_personal_data

_PHONE = OpenApiParameter("phone", str, description="The caller's number, e.g. +15125550100")


def _phone_param(request: Request) -> str:
    """``?phone=`` tells whether a number contacted the hotline, so it needs the same
    permission as seeing numbers."""
    phone = request.query_params.get("phone", "")
    if phone and not can_see_personal_data(request.user):
        raise PermissionDenied("Filtering by phone needs the permission to see callers' numbers.")
    return phone


def _choice_param(request: Request, name: str, choices) -> str:
    value = request.query_params.get(name)
    if value is None:
        return ""
    if value not in choices:
        raise ValidationError({name: [f"Must be one of: {', '.join(choices)}."]})
    return value


@extend_schema(parameters=[_PHONE, OpenApiParameter("channel", str, enum=Channel.values)])
class ConversationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConversationSerializer

    def get_queryset(self):
        return selectors.conversation_list(
            phone=_phone_param(self.request),
            channel=_choice_param(self.request, "channel", Channel.values),
        )


@extend_schema(parameters=[OpenApiParameter("status", str, enum=Handoff.Status.values)])
class HandoffViewSet(viewsets.ReadOnlyModelViewSet):
    """The queue: open first, urgent before normal, oldest first."""

    serializer_class = HandoffSerializer
    action_permissions = {
        "claim": "cases.change_handoff",
        "resolve": "cases.change_handoff",
        "reply": "cases.change_handoff",
    }

    def get_queryset(self):
        return selectors.handoff_queue(
            status=_choice_param(self.request, "status", Handoff.Status.values)
        )

    @extend_schema(request=None, responses=HandoffSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk=None) -> Response:
        try:
            handoff = handoffs.handoff_claim(handoff=self.get_object(), user=request.user)
        except handoffs.HandoffConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(handoff).data)

    @extend_schema(request=HandoffResolveSerializer, responses=HandoffSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        body = HandoffResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            handoff = handoffs.handoff_resolve(
                handoff=self.get_object(), user=request.user, **body.validated_data
            )
        except handoffs.HandoffConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(handoff).data)

    @extend_schema(request=HandoffReplySerializer, responses={202: MessageSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk=None) -> Response:
        """Text the caller through the outbox (queued now, sent by a worker)."""
        body = HandoffReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            message = handoffs.handoff_reply(
                handoff=self.get_object(),
                user=request.user,
                body=body.validated_data["body"],
                confirmed=body.validated_data["confirm"],
            )
        except handoffs.HandoffConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        if message.status == Message.Status.BLOCKED:
            return Response(
                {
                    "detail": message.error_message,
                    "message": MessageSerializer(
                        message, context=self.get_serializer_context()
                    ).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            MessageSerializer(message, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema(parameters=[_PHONE])
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer

    def get_queryset(self):
        return selectors.message_list(phone=_phone_param(self.request))
