"""The staff roles: which group may see and change what (created by a migration)."""

HOTLINE_STAFF = "Hotline staff"
DATA_EDITORS = "Data editors"

#: Permission codenames per role, as "app_label.codename".
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    HOTLINE_STAFF: (
        "cases.view_contact",
        "cases.view_personal_data",
        "cases.view_conversation",
        "cases.view_message",
        "cases.view_handoff",
        "cases.change_handoff",
        "routing.view_jurisdiction",
        "routing.view_usstate",
        "routing.view_statearrangement",
        "routing.view_federalcontact",
    ),
    DATA_EDITORS: (
        "routing.view_jurisdiction",
        "routing.add_jurisdiction",
        "routing.change_jurisdiction",
        "routing.delete_jurisdiction",
        "routing.view_historicaljurisdiction",
        "routing.view_usstate",
        "routing.change_usstate",
        "routing.view_historicalusstate",
        "routing.view_statearrangement",
        "routing.add_statearrangement",
        "routing.change_statearrangement",
        "routing.delete_statearrangement",
        "routing.view_historicalstatearrangement",
        "routing.view_federalcontact",
        "routing.change_federalcontact",
        "routing.view_historicalfederalcontact",
        "routing.view_hcchimport",
        "routing.change_hcchimport",
    ),
}


def roles_create(*, group_model, permission_model) -> None:
    """Create the staff groups with their permissions (models passed in, so the migration can
    use its historical models); groups that exist are completed, never duplicated. A
    permission whose model a later migration creates is skipped: that migration calls this
    again (routing 0008 for federal contacts and HCCH imports)."""
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            found = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                group.permissions.add(found)
