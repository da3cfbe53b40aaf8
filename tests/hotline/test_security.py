"""NUL bytes anywhere in a request are a 400, never a server error."""

import pytest

from tests.twilio_helpers import signed_post, text_params

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/states/T%00X/", "/api/v1/countries/?search=a%00b", "/admin/?q=%00"],
)
def test_nul_in_the_address_is_400(api, path):
    assert api.get(path).status_code == 400


def test_nul_in_a_form_field_is_400_but_a_texted_body_is_cleaned(client, twilio_settings):
    params = text_params("hi")
    assert (
        signed_post(client, "/twilio/sms/", {**params, "From": "+1512\x005550100"}).status_code
        == 400
    )
    assert signed_post(client, "/twilio/sms/", {**params, "Body": "h\x00i"}).status_code == 200
