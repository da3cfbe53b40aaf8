"""CSV import and export of the reciprocity data (django-import-export).

Rows are matched by code, validated like an edit in the admin (``full_clean``), and shown
as a preview before anything is saved; every imported change lands in the history.
"""

from import_export import fields, resources, widgets

from routing.models import SOURCED_FACTS, FederalContact, Jurisdiction, StateArrangement, UsState
from routing.reference import JURISDICTION_FACTS, US_STATE_FACTS

#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_escape(value):
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def formula_unescape(value):
    """The inverse on import, so an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class FormulaSafeResource(resources.ModelResource):
    """Exports that open safely in a spreadsheet, and import back as they were."""

    def export_field(self, field, instance, **kwargs):
        return formula_escape(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for name, value in row.items():
            row[name] = formula_unescape(value)


class JurisdictionResource(FormulaSafeResource):
    class Meta:
        model = Jurisdiction
        import_id_fields = ["code"]
        fields = (*JURISDICTION_FACTS, *SOURCED_FACTS)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class UsStateResource(FormulaSafeResource):
    class Meta:
        model = UsState
        import_id_fields = ["code"]
        fields = (*US_STATE_FACTS, *SOURCED_FACTS)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class StateArrangementResource(FormulaSafeResource):
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
        fields = ("state", "country", *SOURCED_FACTS)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class FederalContactResource(FormulaSafeResource):
    class Meta:
        model = FederalContact
        import_id_fields = ["kind"]
        fields = ("kind", "name", "phone", "phone_abroad", "url", "email", *SOURCED_FACTS)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
