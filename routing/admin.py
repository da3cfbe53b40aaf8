"""The staff workspace for the reciprocity data: search, filters, history, CSV, verification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.decorators import permission_required
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportModelAdmin

from routing import selectors, services
from routing.models import FederalContact, HcchImport, Jurisdiction, StateArrangement, UsState
from routing.reference import Knowledge
from routing.resources import (
    FederalContactResource,
    JurisdictionResource,
    StateArrangementResource,
    UsStateResource,
)
from staff.history_admin import GuardedHistoryAdmin

#: Notes and sources in an inline row: the admin's 48em text boxes, two to a row, pushed
#: a country's page to about 2,000 px wide.
INLINE_TEXT: Mapping[type[models.Field], Mapping[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 28})}
}


#: An arrangement's facts as a row of its country's or state's page; who verified it and how
#: well it is known are on the arrangement's own page (a row with every field is too wide).
INLINE_ARRANGEMENT_FIELDS = ["notes", "source", "source_date"]


class ArrangementByCountryInline(admin.TabularInline):
    model = StateArrangement
    fk_name = "country"
    extra = 0
    fields = ["state", *INLINE_ARRANGEMENT_FIELDS]
    autocomplete_fields = ["state"]
    formfield_overrides = INLINE_TEXT
    show_change_link = True


class ArrangementByStateInline(admin.TabularInline):
    model = StateArrangement
    fk_name = "state"
    extra = 0
    fields = ["country", *INLINE_ARRANGEMENT_FIELDS]
    autocomplete_fields = ["country"]
    formfield_overrides = INLINE_TEXT
    show_change_link = True


class _YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request, _model_admin):
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


class KnowledgeFilter(admin.SimpleListFilter):
    """Verified (recently enough), sourced but unverified, unresearched; or stale."""

    title = "state of knowledge"
    parameter_name = "knowledge"

    def lookups(self, request, _model_admin):
        return [
            (Knowledge.VERIFIED.value, "Verified"),
            (Knowledge.SOURCED_UNVERIFIED.value, "Sourced, not verified"),
            (Knowledge.UNRESEARCHED.value, "Unresearched"),
            (selectors.STALE, "Verified too long ago"),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        knowledge = self.value()
        if knowledge:
            today = timezone.localdate()
            try:
                condition = selectors.knowledge_condition(knowledge, today=today)
            except ValueError as error:
                # The admin's answer to a bad filter in the address: the list, with "?e=1".
                raise IncorrectLookupParameters(error) from error
            return queryset.filter(condition)
        return queryset


class _SourcedFactsAdmin(ImportExportModelAdmin, GuardedHistoryAdmin):
    """Shared: the state of knowledge always visible, and the "mark verified" action."""

    actions = ["mark_verified"]
    readonly_fields = ["knowledge", "verified_by", "verified_at", "updated_at"]
    # The knowledge column names who verified each row.
    list_select_related = ["verified_by"]

    def save_model(self, request, obj, form, change):
        # The form has already put its values on ``obj``: the service saves that very row
        # (added or changed), so the admin's inlines, redirect and log entry see its pk.
        services.facts_update(row=obj, actor=request.user)

    @admin.display(description="state of knowledge")
    def knowledge(self, obj) -> str:
        return selectors.knowledge_label(obj, today=timezone.localdate())

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
        "part_of",
        "knowledge",
        "source_date",
    ]
    list_display_links = ["code", "name"]
    list_filter = [KnowledgeFilter, TreatyFilter, HagueInForceFilter, "frc", "hague_party"]
    search_fields = ["code", "name", "name_es"]
    inlines = [ArrangementByCountryInline]

    def get_deleted_objects(self, objs, request):
        """A jurisdiction that territories follow is protected (the page says which): deleting
        it would leave them pointing at nothing, as services.jurisdiction_delete refuses."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        codes = {obj.code for obj in objs}
        for territory in Jurisdiction.objects.filter(part_of__in=codes).exclude(code__in=codes):
            protected.append(
                f"{territory}: a territory of {territory.part_of}; change its 'territory of' first"
            )
        return deleted, model_count, perms_needed, protected


@admin.register(UsState)
class UsStateAdmin(_SourcedFactsAdmin):
    resource_classes = [UsStateResource]
    list_display = ["code", "name", "agency_name", "agency_phone", "knowledge", "source_date"]
    list_display_links = ["code", "name"]
    list_filter = [KnowledgeFilter]
    search_fields = ["code", "name", "name_es", "agency_name", "agency_name_es"]
    inlines = [ArrangementByStateInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StateArrangement)
class StateArrangementAdmin(_SourcedFactsAdmin):
    resource_classes = [StateArrangementResource]
    list_display = ["state", "country", "knowledge", "source_date", "created_at"]
    list_select_related = ["state", "country", "verified_by"]
    list_filter = [KnowledgeFilter, "state"]
    search_fields = ["state__code", "state__name", "country__code", "country__name"]
    autocomplete_fields = ["state", "country"]


@admin.register(FederalContact)
class FederalContactAdmin(_SourcedFactsAdmin):
    resource_classes = [FederalContactResource]
    list_display = ["kind", "name", "phone", "url", "knowledge", "source_date"]
    list_display_links = ["kind", "name"]
    list_filter = [KnowledgeFilter]
    search_fields = ["kind", "name", "url"]

    def has_delete_permission(self, request, obj=None):
        return False


@permission_required("routing.view_jurisdiction", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Every row not verified today, the longest unconfirmed first, across the four tables."""
    today = timezone.localdate()
    rows = selectors.review_queue(today=today)
    context = {
        **admin.site.each_context(request),
        "title": "Reference data review queue",
        "rows": rows,
        "counts": selectors.knowledge_counts(today=today),
        "stale_days": selectors.stale_days(),
    }
    return TemplateResponse(request, "admin/routing/review_queue.html", context)


@admin.register(HcchImport)
class HcchImportAdmin(admin.ModelAdmin):
    """The diff an HCCH status table import found; staff apply it with the action."""

    list_display = ["file_name", "table_as_of", "change_count", "status", "created_at"]
    list_filter = ["status"]
    actions = ["apply_imports", "discard_imports"]
    readonly_fields = ("file_name", "table_as_of", "status", "decided_by", "decided_at", "diff")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="changes")
    def change_count(self, obj: HcchImport) -> int:
        return len(obj.changes)

    @admin.display(description="what the table says differently")
    def diff(self, obj: HcchImport) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (change["code"], change["name"], change["field"], change["old"], change["new"])
                for change in obj.changes
            ),
        )
        return format_html(
            "<table><thead><tr><th>Code</th><th>Name</th><th>Field</th><th>Now</th>"
            "<th>Table</th></tr></thead><tbody>{}</tbody></table>"
            "<p>Not in the data: {}</p><p>Parties the table does not list (unchanged): {}</p>",
            rows,
            ", ".join(obj.unmatched) or "none",
            ", ".join(obj.not_in_table) or "none",
        )

    def has_apply_permission(self, request) -> bool:
        """Deciding an import is changing it (routing.change_hcchimport, as for discarding);
        applying it also rewrites jurisdictions, so it needs the right to change them too."""
        return self.has_change_permission(request) and request.user.has_perm(
            "routing.change_jurisdiction"
        )

    @admin.action(
        description="Apply the selected imports to the data (records who and when)",
        permissions=["apply"],
    )
    def apply_imports(self, request, queryset):
        for pending in queryset.filter(status=HcchImport.Status.PENDING):
            try:
                count = services.hcch_import_apply(hcch_import=pending, actor=request.user)
            except services.HcchImportDecided as decided:
                # Someone else applied or discarded it since the list was read.
                self.message_user(request, str(decided), messages.WARNING)
                continue
            self.message_user(request, f"{pending}: {count} jurisdiction(s) updated.")

    @admin.action(description="Discard the selected imports", permissions=["change"])
    def discard_imports(self, request, queryset):
        for pending in queryset:
            services.hcch_import_discard(hcch_import=pending, actor=request.user)
        self.message_user(request, "Discarded.")
