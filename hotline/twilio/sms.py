"""``/twilio/sms/``: inbound SMS, MMS and WhatsApp messages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from twilio.twiml.messaging_response import MessagingResponse

from cases.outbox import STATUS_PATH
from cases.texts import inbound_text_handle
from hotline.twilio.signatures import twilio_webhook


def twiml(response: MessagingResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


@twilio_webhook
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """Advance the sender's conversation and reply in TwiML (empty when nothing may be said)."""
    form = request.POST
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    address = form.get("From", "")
    if not sid or not address:
        return HttpResponseBadRequest("MessageSid and From are required.")
    try:
        num_media = int(form.get("NumMedia") or 0)
    except ValueError:
        num_media = 0
    reply = inbound_text_handle(
        address=address,
        body=form.get("Body", ""),
        message_sid=sid[:64],
        num_media=num_media,
        opt_out_type=form.get("OptOutType", ""),
    )
    response = MessagingResponse()
    for text in reply.replies:
        if text.message_id is None:
            response.message(text.body)
        else:
            status_url = f"{settings.PUBLIC_BASE_URL}{STATUS_PATH}?outbox={text.message_id}"
            response.message(text.body, action=status_url)
    return twiml(response)
