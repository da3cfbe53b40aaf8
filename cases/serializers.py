"""Staff API representations of conversations, handoffs and messages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.display import message_status_reported
from cases.flow import FlowState
from cases.models import Conversation, Handoff, Message
from cases.phones import phone_mask
from staff.api import StrictSerializerMixin, can_see_personal_data


class MaskedPhoneField(serializers.CharField):
    """The caller's number, masked for staff without the "view personal data" permission."""

    def to_representation(self, value):
        request = self.context.get("request")
        phone = super().to_representation(value)
        return phone if can_see_personal_data(getattr(request, "user", None)) else phone_mask(phone)


class ConversationSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField(source="contact.phone")
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "channel",
            "phone",
            "language",
            "status",
            "step",
            "outcome",
            "answers",
            "started_at",
            "updated_at",
        ]

    def get_answers(self, conversation: Conversation) -> dict:
        return FlowState.from_json(conversation.state).answers


class HandoffSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField(source="contact.phone")
    assigned_to = serializers.CharField(source="assigned_to.username", default=None)

    class Meta:
        model = Handoff
        fields = [
            "id",
            "conversation",
            "phone",
            "reason",
            "priority",
            "status",
            "assigned_to",
            "notes",
            "recording_url",
            "created_at",
            "claimed_at",
            "resolved_at",
        ]


class HandoffResolveSerializer(StrictSerializerMixin, serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class HandoffReplySerializer(StrictSerializerMixin, serializers.Serializer):
    body = serializers.CharField(max_length=1600, help_text="The text to send to the caller.")
    confirm = serializers.BooleanField(
        default=False,
        help_text="Send even though the handoff is resolved or claimed by someone else "
        "(without it, such a reply is refused with 409 and the reason).",
    )


class MessageSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField(source="contact.phone", default=None)
    status = serializers.SerializerMethodField(
        help_text="Twilio's delivery status for outbound once Twilio has reported one "
        "(`sending` while it has not); `received` inbound; `blocked` for what may not be sent; "
        "otherwise the outbox's own (`scheduled`, `queued`, `sending`, `failed`, `canceled`)."
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "direction",
            "channel",
            "phone",
            "body",
            "twilio_sid",
            "status",
            "error_code",
            "error_message",
            "purpose",
            "send_after",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_status(self, message: Message) -> str:
        return message_status_reported(
            status=message.status, delivery_status=message.delivery_status
        )
