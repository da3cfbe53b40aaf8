"""The staff workspace for callers: the handoff queue, transcripts, masked numbers."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Right
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from cases import handoffs, selectors
from cases.calls import recording_url_valid
from cases.display import conversation_summary, message_status_label
from cases.flow import HandoffPriority
from cases.models import Contact, Conversation, Handoff, Message
from cases.phones import phone_normalize
from routing.outcomes import outcome_label
from staff.api import can_see_personal_data
from staff.pagination import EstimatedCountPaginator

MASK = "••••••••"


def with_shown_phone(queryset: QuerySet, request, phone_path: str) -> QuerySet:
    """Annotate ``shown_phone``: the number in full only for staff with the "view personal
    data" permission, else its last two digits (done in SQL, per request)."""
    if can_see_personal_data(request.user):
        return queryset.annotate(shown_phone=F(phone_path))
    return queryset.annotate(shown_phone=Concat(Value(MASK), Right(phone_path, 2)))


#: Messages per transcript page; a conversation can hold tens of thousands.
TRANSCRIPT_PAGE_SIZE = 100
TRANSCRIPT_PAGE = "transcript_page"


def transcript_html(conversation: Conversation | None, page: str | int = ""):
    """One page of the conversation's messages in order, inbound and outbound, for staff to
    read: the latest page unless ``page`` names another, with links to the others."""
    if conversation is None:
        return "-"
    rows = conversation.messages.order_by("created_at", "id").values_list(
        "created_at", "direction", "body", "status", "delivery_status", "via", "error_code"
    )
    paginator = Paginator(rows, TRANSCRIPT_PAGE_SIZE, allow_empty_first_page=True)
    shown = paginator.get_page(page or paginator.num_pages)
    messages_html = format_html_join(
        "",
        '<p class="msg {}"><small>{} · {} · {}</small><br>{}</p>',
        (
            (
                direction,
                f"{timezone.localtime(created):%Y-%m-%d %H:%M}",
                direction,
                message_status_label(
                    status=status, delivery_status=delivery, via=via, error_code=error_code
                ),
                body or "(no text)",
            )
            for created, direction, body, status, delivery, via, error_code in shown.object_list
        ),
    )
    return format_html(
        '{}<div class="transcript">{}</div>', _transcript_pages(shown), messages_html
    )


def summary_html(conversation: Conversation | None):
    """Where each parent lives, the outcome in words, language and channel, as a small table."""
    if conversation is None:
        return "-"
    return format_html(
        '<table class="handoff-summary">{}</table>',
        format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            conversation_summary(conversation).rows(),
        ),
    )


def _transcript_pages(shown) -> str:
    """ "Messages 201 to 300 of 28800" and links to the first, older, newer and latest pages."""
    paginator = shown.paginator
    if paginator.num_pages <= 1:
        return ""
    links = []
    for label, number, show in (
        ("« first", 1, shown.has_previous()),
        ("older", shown.number - 1, shown.has_previous()),
        ("newer", shown.number + 1, shown.has_next()),
        ("latest »", paginator.num_pages, shown.has_next()),
    ):
        if show:
            links.append(format_html('<a href="?{}={}">{}</a>', TRANSCRIPT_PAGE, number, label))
    return format_html(
        '<p class="transcript-pages">Messages {} to {} of {} · page {} of {} · {}</p>',
        shown.start_index(),
        shown.end_index(),
        paginator.count,
        shown.number,
        paginator.num_pages,
        format_html_join(" ", "{}", ((link,) for link in links)),
    )


class TranscriptPageMixin(admin.ModelAdmin):
    """Remembers which transcript page the address asked for on the object being shown (a
    read-only field gets the object, not the request)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.transcript_page = request.GET.get(TRANSCRIPT_PAGE, "")
        return obj


class PhoneLookupGuard(admin.ModelAdmin):
    """A ``?phone…=`` filter in the address tells whether a number contacted the hotline, so
    it needs the permission to see numbers (else the lookup is refused: 400)."""

    def lookup_allowed(self, lookup, value, request=None):
        if "phone" in lookup and not can_see_personal_data(getattr(request, "user", None)):
            return False
        return super().lookup_allowed(lookup, value, request)


class ChoicesFilter(admin.SimpleListFilter):
    """A field's choices (from the pure core's enums) as a filter with a short address
    (``?language=es``); Django's own filter for a field would read the labels from every row
    when it has none, and names its parameter ``…__exact``."""

    def lookups(self, request, model_admin):
        return model_admin.model._meta.get_field(self.parameter_name).choices

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{str(self.parameter_name): value}) if value else queryset


class OutcomeFilter(ChoicesFilter):
    title = parameter_name = "outcome"


class LanguageFilter(ChoicesFilter):
    title = parameter_name = "language"


class BigListMixin(admin.ModelAdmin):
    """A list of years of rows: estimated totals (staff.pagination), no second count."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False


#: A search matching more callers than this (a few digits common to many numbers) shows
#: the rows of the first ones.
SEARCH_CALLERS_MAX = 5000


class PhoneSearchMixin(admin.ModelAdmin):
    """Search by a caller's number in any common spelling, for staff who may see numbers.

    Others get no match for any search, so a number cannot be probed through the list.
    """

    contact_path = "contact"
    search_fields = ["contact__phone"]
    search_help_text = "A caller's phone number, whole or its last digits (4 or more)."

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if not can_see_personal_data(request.user):
            return queryset.none(), False
        digits = "".join(ch for ch in term if ch.isdigit())
        matches = Q(phone=phone_normalize(term))
        if len(digits) >= 4:
            matches |= Q(phone__contains=digits)
        # The callers first (the phone's trigram index), then their rows by caller. As one
        # query the planner may instead walk years of rows newest first, checking each row's
        # caller, when it overestimates how many callers match (550 ms at 2 million).
        callers = list(
            Contact.objects.filter(matches).values_list("pk", flat=True)[:SEARCH_CALLERS_MAX]
        )
        return queryset.filter(**{f"{self.contact_path}__in": callers}), False


@admin.register(Conversation)
class ConversationAdmin(
    BigListMixin, TranscriptPageMixin, PhoneLookupGuard, PhoneSearchMixin, admin.ModelAdmin
):
    list_display = [
        "id",
        "channel",
        "caller",
        "language",
        "status",
        "step",
        "outcome_shown",
        "updated_at",
    ]
    list_filter = ["channel", "status", LanguageFilter, OutcomeFilter]
    readonly_fields = (
        "caller",
        "channel",
        "language",
        "status",
        "step",
        "outcome_shown",
        "started_at",
        "transcript",
    )
    fields = readonly_fields
    change_form_template = "admin/cases/transcript_change_form.html"

    @admin.display(description="caller")
    def caller(self, obj) -> str:
        return obj.shown_phone

    @admin.display(description="outcome", ordering="outcome")
    def outcome_shown(self, obj: Conversation) -> str:
        return outcome_label(obj.outcome)

    def get_queryset(self, request):
        return with_shown_phone(super().get_queryset(request), request, "contact__phone")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="transcript")
    def transcript(self, obj: Conversation):
        return transcript_html(obj, getattr(obj, "transcript_page", ""))


class HandoffForm(forms.ModelForm):
    reply = forms.CharField(
        required=False,
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Texted to the caller through the outbox when you save. A number that "
        "opted out gets nothing, and you are told so.",
    )

    class Meta:
        model = Handoff
        fields = ["notes"]
        help_texts = {"notes": "Internal notes: never sent to the caller."}


class ConfirmedReplyForm(HandoffForm):
    """The reply form when texting needs a second thought: the reason is shown and a reply is
    sent only with "send anyway" ticked."""

    warning = ""
    send_anyway = forms.BooleanField(
        required=False, label="Send the reply anyway", help_text="I have read the warning above."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].help_text = format_html(
            '<strong class="reply-warning" style="color:#ba2121">⚠ {}</strong> {}',
            self.warning,
            self.fields["reply"].help_text,
        )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("reply", "").strip() and not cleaned.get("send_anyway"):
            self.add_error("send_anyway", f"{self.warning} Tick this box to send the reply.")
        return cleaned


@admin.register(Handoff)
class HandoffAdmin(BigListMixin, TranscriptPageMixin, PhoneLookupGuard, admin.ModelAdmin):
    form = HandoffForm
    change_form_template = "admin/cases/handoff/change_form.html"
    list_display = ["id", "priority_badge", "reason", "status", "waiting", "assigned_to", "caller"]
    list_filter = ["status", "priority", "reason"]
    readonly_fields = [
        "caller",
        "conversation_link",
        "summary",
        "reason",
        "priority",
        "status",
        "assigned_to",
        "created_at",
        "claimed_at",
        "resolved_at",
        "recording",
        "transcript",
    ]
    fields = [*readonly_fields[:-1], "notes", "reply", "transcript"]
    actions = ["claim", "resolve"]

    def get_queryset(self, request):
        queryset = selectors.handoff_queue().select_related("conversation")
        return with_shown_phone(queryset, request, "contact__phone")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A handoff that is resolved, or someone else's, asks to confirm a reply."""
        warning = selectors.handoff_reply_warning(obj, request.user) if obj else ""
        if warning:
            kwargs["form"] = type("ConfirmedReplyForm", (ConfirmedReplyForm,), {"warning": warning})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj and selectors.handoff_reply_warning(obj, request.user):
            reply_at = fields.index("reply") + 1
            return [*fields[:reply_at], "send_anyway", *fields[reply_at:]]
        return fields

    def get_ordering(self, request):
        """The queue's own order (the changelist would impose the model's newest-first)."""
        return selectors.HANDOFF_QUEUE_ORDER

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="caller")
    def caller(self, obj) -> str:
        return obj.shown_phone

    @admin.display(description="priority", ordering="priority_rank")
    def priority_badge(self, obj: Handoff):
        colour = "#ba2121" if obj.priority == HandoffPriority.URGENT else "#417690"
        return format_html(
            '<span style="color:#fff;background:{};padding:1px 6px;border-radius:3px">{}</span>',
            colour,
            obj.get_priority_display(),
        )

    @admin.display(description="waiting", ordering="created_at")
    def waiting(self, obj: Handoff):
        age = timesince(obj.created_at, timezone.now())
        if selectors.handoff_overdue(obj):
            return format_html(
                '<strong class="overdue" style="color:#ba2121">⚠ {} (overdue)</strong>', age
            )
        return age

    @admin.display(description="conversation")
    def conversation_link(self, obj: Handoff):
        conversation = obj.conversation
        if conversation is None:
            return "-"
        url = reverse("admin:cases_conversation_change", args=[conversation.pk])
        return format_html('<a href="{}">#{} ({})</a>', url, conversation.pk, conversation.channel)

    @admin.display(description="voicemail")
    def recording(self, obj: Handoff):
        if not recording_url_valid(obj.recording_url):
            return "-"
        return format_html('<a href="{}" rel="noreferrer">listen</a>', obj.recording_url)

    @admin.display(description="transcript")
    def transcript(self, obj: Handoff):
        return transcript_html(obj.conversation, getattr(obj, "transcript_page", ""))

    @admin.display(description="summary")
    def summary(self, obj: Handoff):
        return summary_html(obj.conversation)

    def save_model(self, request, obj, form, change):
        if "notes" in form.changed_data:
            try:
                handoffs.handoff_notes_set(handoff=obj, user=request.user, notes=obj.notes)
            except handoffs.HandoffConflict as conflict:
                self.message_user(request, f"Notes not saved: {conflict}", messages.ERROR)
        self._reply(request, obj, form)
        try:
            if "_claim" in request.POST:
                handoffs.handoff_claim(handoff=obj, user=request.user)
            if "_resolve" in request.POST:
                handoffs.handoff_resolve(handoff=obj, user=request.user)
        except handoffs.HandoffConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)

    def _reply(self, request, obj: Handoff, form) -> None:
        """Text the caller first, so "Resolve" with a reply typed sends it, then closes."""
        reply = form.cleaned_data.get("reply", "").strip()
        if not reply:
            return
        try:
            message = handoffs.handoff_reply(
                handoff=obj,
                user=request.user,
                body=reply,
                confirmed=form.cleaned_data.get("send_anyway", False),
            )
        except handoffs.HandoffConflict as conflict:
            self.message_user(request, f"Not sent: {conflict}", messages.ERROR)
            return
        if message.status == Message.Status.BLOCKED:
            self.message_user(request, f"Not sent: {message.error_message}", messages.ERROR)
        else:
            self.message_user(request, "Reply queued; it is sent within seconds.")

    def response_change(self, request, obj):
        """Claim and Resolve keep staff on the handoff they are working on."""
        if "_claim" in request.POST or "_resolve" in request.POST:
            return redirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description="Claim the selected handoffs", permissions=["change"])
    def claim(self, request, queryset):
        self._each(request, queryset, handoffs.handoff_claim)

    @admin.action(description="Resolve the selected handoffs", permissions=["change"])
    def resolve(self, request, queryset):
        self._each(request, queryset, handoffs.handoff_resolve)

    def _each(self, request, queryset, service):
        for handoff in queryset:
            try:
                service(handoff=handoff, user=request.user)
            except handoffs.HandoffConflict as conflict:
                self.message_user(request, f"Handoff {handoff.pk}: {conflict}", messages.WARNING)


@admin.register(Contact)
class ContactAdmin(BigListMixin, PhoneLookupGuard, PhoneSearchMixin, admin.ModelAdmin):
    list_display = ["id", "number", "language", "opted_out", "simulated", "created_at"]
    list_filter = ["opted_out", LanguageFilter, "simulated"]
    # Opting out is the caller's alone: STOP sets it, only their START clears it.
    readonly_fields = ["number", "opted_out", "opted_out_at", "created_at", "updated_at"]
    fields = ["number", "language", "opted_out", "opted_out_at", "created_at", "updated_at"]
    contact_path = "pk"
    search_fields = ["phone"]

    def get_queryset(self, request):
        return with_shown_phone(super().get_queryset(request), request, "phone")

    @admin.display(description="phone")
    def number(self, obj) -> str:
        return obj.shown_phone

    def has_add_permission(self, request):
        return False
