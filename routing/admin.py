"""Staff editing of the reciprocity data (the fuller workspace builds on this)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from routing import services
from routing.models import Jurisdiction, StateArrangement, UsState


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


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
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
    list_filter = ["needs_verification", "frc", "hague_party"]
    search_fields = ["code", "name", "name_es"]
    inlines = [ArrangementByCountryInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.jurisdiction_update(jurisdiction=obj, actor=request.user, **fields)
        else:
            services.jurisdiction_create(actor=request.user, **form.cleaned_data)


@admin.register(UsState)
class UsStateAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "agency_name", "agency_phone", "needs_verification"]
    list_filter = ["needs_verification"]
    search_fields = ["code", "name", "name_es", "agency_name"]
    inlines = [ArrangementByStateInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        services.state_update(state=obj, actor=request.user, **fields)


@admin.register(StateArrangement)
class StateArrangementAdmin(SimpleHistoryAdmin):
    list_display = ["state", "country", "created_at"]
    list_filter = ["state"]
    search_fields = ["state__code", "state__name", "country__code", "country__name"]
    autocomplete_fields = ["state", "country"]
