"""Shared pieces of the staff REST API."""

from __future__ import annotations

from rest_framework import serializers


class StrictSerializerMixin:
    """Rejects fields the endpoint does not know, so a typo is a 400, not a silent no-op."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field: this endpoint does not accept it."] for name in unknown}
                )
        return super().to_internal_value(data)
