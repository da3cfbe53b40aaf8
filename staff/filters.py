"""Query filters of the staff API lists: a given parameter must make sense, or it is a 400
naming it (``DjangoFilterBackend`` answers a FilterSet's errors by field)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import ChoiceField

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})


class YesNoField(forms.Field):
    """True for true/1/yes, False for false/0/no (any case), None when absent; anything
    else, an empty value too, is an error."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_python(self, value: str | None) -> bool | None:
        if value is None:
            return None
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() in FALSE_WORDS:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class GivenChoiceField(ChoiceField):
    """A choice that, once the parameter is given, must be one of them: ``?status=`` is an
    error, not "no filter"."""

    def clean(self, value: Any) -> Any:
        if value == "":
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super().clean(value)


class GivenChoiceFilter(django_filters.ChoiceFilter):
    """A choice parameter whose error lists the choices ("Must be one of: a, b.")."""

    field_class = GivenChoiceField

    def __init__(self, *, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        names = ", ".join(value for value, _ in choices)
        kwargs.setdefault("error_messages", {"invalid_choice": f"Must be one of: {names}."})
        super().__init__(choices=choices, **kwargs)
