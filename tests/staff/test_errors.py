"""API errors answered once (staff.errors): a domain conflict is a 409, a model's validation
error a 400 by field, whatever view raised them."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError

from cases.handoffs import HandoffConflict
from routing.models import Jurisdiction
from staff.errors import Conflict, api_exception_handler

pytestmark = pytest.mark.django_db


def test_a_conflict_is_409_with_its_message_as_detail():
    response = api_exception_handler(Conflict("Already claimed by ana."), {})
    assert response.status_code == 409
    assert response.data == {"detail": "Already claimed by ana."}


def test_a_handoff_conflict_is_a_conflict():
    response = api_exception_handler(HandoffConflict("This handoff is already resolved."), {})
    assert (response.status_code, response.data) == (
        409,
        {"detail": "This handoff is already resolved."},
    )


def test_a_model_validation_error_is_400_by_field_as_drf_names_them():
    error = DjangoValidationError(
        {"hague_us_objection": "Clear the objection.", NON_FIELD_ERRORS: "Not both."}
    )
    response = api_exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {
        "hague_us_objection": ["Clear the objection."],
        "non_field_errors": ["Not both."],
    }


def test_a_model_validation_error_without_a_field_is_a_non_field_error():
    response = api_exception_handler(DjangoValidationError("Not now."), {})
    assert (response.status_code, response.data) == (400, {"non_field_errors": ["Not now."]})


def test_other_exceptions_are_left_to_django():
    assert api_exception_handler(ValueError("boom"), {}) is None


def test_the_hague_rule_is_the_models_and_the_api_answers_it_by_field(api):
    """The serializer no longer repeats Jurisdiction.clean: its error reaches the caller."""
    response = api.post(
        "/api/v1/countries/",
        {"code": "XK", "name": "K", "hague_in_force_with_us": "2020-01-01", "part_of": "XK"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "hague_in_force_with_us": ["Only a party to the Convention can have it in force."],
        "part_of": ["A territory belongs to another jurisdiction."],
    }
    assert not Jurisdiction.objects.filter(code="XK").exists()
