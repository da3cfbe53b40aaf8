"""Staff REST API for conversations, the handoff queue and the message log (contract §5)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import handoffs, selectors
from cases.filters import ConversationFilterSet, HandoffFilterSet, MessageFilterSet
from cases.models import Message
from cases.serializers import (
    ConversationSerializer,
    HandoffReplySerializer,
    HandoffResolveSerializer,
    HandoffSerializer,
    MessageSerializer,
)


class ConversationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConversationSerializer
    filterset_class = ConversationFilterSet

    def get_queryset(self):
        return selectors.conversation_list()


class HandoffViewSet(viewsets.ReadOnlyModelViewSet):
    """The queue: open first, urgent before normal, oldest first."""

    serializer_class = HandoffSerializer
    filterset_class = HandoffFilterSet
    action_permissions = {
        "claim": "cases.change_handoff",
        "resolve": "cases.change_handoff",
        "reply": "cases.change_handoff",
    }

    def get_queryset(self):
        return selectors.handoff_queue()

    @extend_schema(request=None, responses=HandoffSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk=None) -> Response:
        handoff = handoffs.handoff_claim(handoff=self.get_object(), user=request.user)
        return Response(self.get_serializer(handoff).data)

    @extend_schema(request=HandoffResolveSerializer, responses=HandoffSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        body = HandoffResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        handoff = handoffs.handoff_resolve(
            handoff=self.get_object(), user=request.user, **body.validated_data
        )
        return Response(self.get_serializer(handoff).data)

    @extend_schema(request=HandoffReplySerializer, responses={202: MessageSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk=None) -> Response:
        """Text the caller through the outbox (queued now, sent by a worker)."""
        body = HandoffReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = handoffs.handoff_reply(
            handoff=self.get_object(),
            user=request.user,
            body=body.validated_data["body"],
            confirmed=body.validated_data["confirm"],
        )
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


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    filterset_class = MessageFilterSet

    def get_queryset(self):
        return selectors.message_list()
