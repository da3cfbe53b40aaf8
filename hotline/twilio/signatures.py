"""Every Twilio webhook must carry a valid ``X-Twilio-Signature`` (contract §3)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)


def webhook_url(request: HttpRequest) -> str:
    """The URL Twilio signed: ``PUBLIC_BASE_URL`` + path and query, so proxies don't matter."""
    if settings.PUBLIC_BASE_URL:
        return f"{settings.PUBLIC_BASE_URL}{request.get_full_path()}"
    return request.build_absolute_uri()


def signature_valid(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    token = settings.TWILIO_AUTH_TOKEN
    if not signature or not token:
        return False
    return RequestValidator(token).validate(webhook_url(request), request.POST, signature)


def twilio_webhook(view: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """POST only, CSRF-exempt (Twilio has no cookie), 403 unless Twilio signed it."""

    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not signature_valid(request):
            logger.warning(
                "Twilio webhook refused: missing or invalid signature (%s)", request.path
            )
            return HttpResponseForbidden("Invalid Twilio signature.")
        return view(request, *args, **kwargs)

    return checked
