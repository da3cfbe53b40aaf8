"""The staff workspace for the reciprocity data: search, filters, history, CSV, verification."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.utils import timezone
from import_export.admin import ImportExportModelAdmin

from hotline.history_admin import GuardedHistoryAdmin
from routing import services
from routing.models import Jurisdiction, StateArrangement, UsState
from routing.resources import JurisdictionResource, StateArrangementResource, UsStateResource


class ArrangementByCountryInline(admin.TabularInline):
    model = StateArrangement
    fk_name = "country"
    extra = 0
    autocomplete_fields = ["state"]


class ArrangementByStateInline(admin.TabularInline):
    model = StateArrangement
    fk_name = "state"
    extra = 0
    autocomplete_fields = ["country"]


class _YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset

    def condition(self) -> Q:
        raise NotImplementedError


class HagueInForceFilter(_YesNoFilter):
    title = "Hague Convention in force with the U.S."
    parameter_name = "hague_in_force"

    def condition(self) -> Q:
        return Q(hague_in_force_with_us__lte=timezone.localdate())


class TreatyFilter(_YesNoFilter):
    title = "treaty jurisdiction (Hague in force or FRC)"
    parameter_name = "treaty"

    def condition(self) -> Q:
        return Q(frc=True) | Q(hague_in_force_with_us__lte=timezone.localdate())


class _SourcedFactsAdmin(ImportExportModelAdmin, GuardedHistoryAdmin):
    """Shared: 'needs verification' always visible, and the "mark verified" action."""

    actions = ["mark_verified"]
    readonly_fields = ["verified_by", "verified_at", "updated_at"]

    @admin.action(
        description="Mark the selected rows as verified (records who and when)",
        permissions=["change"],
    )
    def mark_verified(self, request, queryset):
        count = services.facts_mark_verified(rows=queryset, actor=request.user)
        self.message_user(request, f"{count} row(s) marked as verified.", messages.SUCCESS)


@admin.register(Jurisdiction)
class JurisdictionAdmin(_SourcedFactsAdmin):
    resource_classes = [JurisdictionResource]
    list_display = [
        "code",
        "name",
        "name_es",
        "hague_party",
        "hague_in_force_with_us",
        "frc",
        "needs_verification",
        "updated_at",
    ]
    list_display_links = ["code", "name"]
    list_filter = [TreatyFilter, HagueInForceFilter, "frc", "hague_party", "needs_verification"]
    search_fields = ["code", "name", "name_es"]
    inlines = [ArrangementByCountryInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.jurisdiction_update(jurisdiction=obj, actor=request.user, **fields)
        else:
            services.jurisdiction_create(actor=request.user, **form.cleaned_data)


@admin.register(UsState)
class UsStateAdmin(_SourcedFactsAdmin):
    resource_classes = [UsStateResource]
    list_display = ["code", "name", "agency_name", "agency_phone", "needs_verification"]
    list_display_links = ["code", "name"]
    list_filter = ["needs_verification"]
    search_fields = ["code", "name", "name_es", "agency_name"]
    inlines = [ArrangementByStateInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        services.state_update(state=obj, actor=request.user, **fields)


@admin.register(StateArrangement)
class StateArrangementAdmin(ImportExportModelAdmin, GuardedHistoryAdmin):
    resource_classes = [StateArrangementResource]
    list_display = ["state", "country", "created_at"]
    list_filter = ["state"]
    search_fields = ["state__code", "state__name", "country__code", "country__name"]
    autocomplete_fields = ["state", "country"]
