"""Staff views of callers, conversations, messages and the handoff queue."""

from django.contrib import admin

from cases import services
from cases.models import Contact, Conversation, Handoff, Message


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["created_at", "direction", "body", "status", "error_code"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "contact",
        "language",
        "status",
        "step",
        "outcome",
        "updated_at",
    ]
    list_filter = ["channel", "status", "language", "outcome"]
    readonly_fields = [field.name for field in Conversation._meta.fields]
    inlines = [MessageInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Handoff)
class HandoffAdmin(admin.ModelAdmin):
    list_display = ["id", "reason", "priority", "status", "assigned_to", "created_at"]
    list_filter = ["status", "priority", "reason"]
    readonly_fields = ["conversation", "contact", "reason", "priority", "created_at", "claimed_at"]
    actions = ["claim", "resolve"]

    @admin.action(description="Claim the selected handoffs")
    def claim(self, request, queryset):
        self._each(request, queryset, services.handoff_claim)

    @admin.action(description="Resolve the selected handoffs")
    def resolve(self, request, queryset):
        self._each(request, queryset, services.handoff_resolve)

    def _each(self, request, queryset, service):
        for handoff in queryset:
            try:
                service(handoff=handoff, user=request.user)
            except services.HandoffConflict as conflict:
                self.message_user(request, f"Handoff {handoff.pk}: {conflict}", level="warning")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["id", "language", "opted_out", "created_at"]
    list_filter = ["opted_out", "language"]
    readonly_fields = ["phone", "opted_out_at", "created_at", "updated_at"]
