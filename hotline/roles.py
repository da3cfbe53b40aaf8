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
    ),
}


def roles_create(*, group_model, permission_model) -> None:
    """Create the staff groups with their permissions (models passed in, so the migration can
    use its historical models); groups that exist are completed, never duplicated."""
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
