"""Shared pieces of the staff REST API."""

from __future__ import annotations

from rest_framework import pagination, permissions, serializers

from staff.pagination import rows_count


class StrictSerializerMixin(serializers.Serializer):
    """Rejects fields the endpoint does not take, so a typo is a 400, not a silent no-op; and
    a field takes only the JSON type the schema gives it: a yes/no field ``true`` or
    ``false``, a text field a string (DRF alone would read ``1`` or ``"yes"`` as true, and
    store the number ``42`` as the text "42")."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name in sorted(data):
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field: this endpoint does not accept it."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
                elif wrong_type := _wrong_json_type(field, data[name]):
                    errors[name] = [wrong_type]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


#: The JSON type each kind of field takes, and what a value of another type is told.
_JSON_TYPES: tuple[tuple[type[serializers.Field], type, str], ...] = (
    (serializers.BooleanField, bool, "Must be true or false."),
    (serializers.CharField, str, "Must be text."),
)


def _wrong_json_type(field: serializers.Field, value: object) -> str | None:
    """What is wrong with ``value``'s JSON type for ``field``, if anything (null is the
    field's own business: allowed or "may not be null")."""
    if value is None:
        return None
    for kind, json_type, message in _JSON_TYPES:
        if isinstance(field, kind):
            return None if isinstance(value, json_type) else message
    return None


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Staff only, and each role only what its model permissions allow (reads need "view").

    A viewset's extra actions name their permission in ``action_permissions``.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if request.method not in view.allowed_methods:
            return True  # answered 405 Method Not Allowed, which says more than 403
        action_permission = getattr(view, "action_permissions", {}).get(getattr(view, "action", ""))
        if action_permission:
            return user.has_perm(action_permission)
        return super().has_permission(request, view)


class CanReadReferenceData(permissions.BasePermission):
    """Guidance reads the reciprocity data: any staff role that may view it."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("routing.view_jurisdiction")
        )


def can_see_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("cases.view_personal_data"))


class StrictLimitOffsetPagination(pagination.LimitOffsetPagination):
    """``limit`` and ``offset`` must be whole numbers, not silently ignored when they aren't."""

    max_limit = 1000

    def get_count(self, queryset) -> int:
        """Exact, except for a whole big table: PostgreSQL's estimate (staff.pagination)."""
        return rows_count(queryset)

    def get_limit(self, request):
        self._check_whole_number(request, self.limit_query_param, minimum=1)
        return super().get_limit(request)

    def get_offset(self, request):
        self._check_whole_number(request, self.offset_query_param, minimum=0)
        return super().get_offset(request)

    @staticmethod
    def _check_whole_number(request, name: str, *, minimum: int) -> None:
        value = request.query_params.get(name)
        if value is not None and not (value.isdigit() and int(value) >= minimum):
            raise serializers.ValidationError({name: [f"Must be a whole number ≥ {minimum}."]})
