"""CSV import and export of the reciprocity data (django-import-export).

Rows are matched by code, validated like an edit in the admin (``full_clean``), and shown
as a preview before anything is saved; every imported change lands in the history.
"""

from import_export import fields, resources, widgets

from routing.models import Jurisdiction, StateArrangement, UsState

_SOURCED = ("needs_verification", "source", "notes")


class JurisdictionResource(resources.ModelResource):
    class Meta:
        model = Jurisdiction
        import_id_fields = ["code"]
        fields = (
            "code",
            "name",
            "name_es",
            "hague_party",
            "hague_in_force_with_us",
            "frc",
            "central_authority_name",
            "central_authority_url",
            "central_authority_phone",
            *_SOURCED,
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class UsStateResource(resources.ModelResource):
    class Meta:
        model = UsState
        import_id_fields = ["code"]
        fields = ("code", "name", "name_es", "agency_name", "agency_phone", "agency_url", *_SOURCED)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class StateArrangementResource(resources.ModelResource):
    state = fields.Field(
        attribute="state", column_name="state", widget=widgets.ForeignKeyWidget(UsState, "code")
    )
    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=widgets.ForeignKeyWidget(Jurisdiction, "code"),
    )

    class Meta:
        model = StateArrangement
        import_id_fields = ["state", "country"]
        fields = ("state", "country", "notes", "source")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
