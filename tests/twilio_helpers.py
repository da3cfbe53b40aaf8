"""Signed Twilio webhook requests, built the way Twilio builds them."""

from __future__ import annotations

import itertools

from django.test import Client
from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token"
BASE_URL = "https://hotline.example.org"
_sids = itertools.count(1)


def new_sid(prefix: str = "SM") -> str:
    return f"{prefix}{next(_sids):032x}"


def signed_post(client: Client, path: str, params: dict[str, str], *, token: str = AUTH_TOKEN):
    """POST ``params`` to ``path`` with the signature Twilio would send for ``BASE_URL``."""
    signature = RequestValidator(token).compute_signature(f"{BASE_URL}{path}", params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def text_params(body: str, *, sender: str = "+15125550100", sid: str | None = None) -> dict:
    return {
        "MessageSid": sid or new_sid(),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+18005550199",
        "Body": body,
        "NumMedia": "0",
    }


def signed_http_text(port: int, body: str, *, sender: str) -> tuple[str, int]:
    """POST a signed text to a server on 127.0.0.1:``port``; (MessageSid, status, 0 = no answer)."""
    import requests

    params = {"MessageSid": new_sid(), "From": sender, "To": "+18005550199", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{BASE_URL}/twilio/sms/", params)
    try:
        response = requests.post(
            f"http://127.0.0.1:{port}/twilio/sms/",
            data=params,
            headers={"X-Twilio-Signature": signature},
            timeout=10,
        )
    except requests.RequestException:
        return params["MessageSid"], 0
    return params["MessageSid"], response.status_code
