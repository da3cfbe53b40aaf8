"""``/twilio/sms/status/``: delivery status of outbound messages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from cases.outbox import message_status_record
from hotline.twilio.signatures import twilio_webhook


@twilio_webhook
def sms_status(request: HttpRequest) -> HttpResponse:
    """Record ``MessageStatus``/``ErrorCode`` for the message (never moving it backwards)."""
    form = request.POST
    message_status_record(
        outbox_id=request.GET.get("outbox", ""),
        message_sid=form.get("MessageSid") or form.get("SmsSid") or "",
        status=(form.get("MessageStatus") or form.get("SmsStatus") or "").lower()[:20],
        error_code=form.get("ErrorCode", "")[:10],
    )
    return HttpResponse(status=204)
