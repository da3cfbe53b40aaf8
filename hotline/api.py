"""Shared pieces of the staff REST API."""

from __future__ import annotations

from rest_framework import serializers


class StrictSerializerMixin:
    """Rejects fields the endpoint does not take, so a typo is a 400, not a silent no-op."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name in sorted(data):
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field: this endpoint does not accept it."]
                elif field.read_only:
                    errors[name] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
