"""API errors answered in one place, so no view has to catch them one by one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


class Conflict(Exception):
    """The request is well formed but the thing's state forbids it now (someone else has it,
    it is done): the API answers 409 with the message as ``detail``."""


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


def model_errors(error: DjangoValidationError) -> dict[str, Any]:
    """A model's ``clean``/``full_clean`` errors by field, named as DRF names them."""
    errors = as_serializer_error(error)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, which also knows a domain ``Conflict`` (409) and a model's validation
    error (400 by field, like a serializer's)."""
    if isinstance(exc, Conflict):
        exc = ConflictError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(model_errors(exc))
    return exception_handler(exc, context)
