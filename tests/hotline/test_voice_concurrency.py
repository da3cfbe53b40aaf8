"""Twilio delivering a new call's first webhook twice at the same moment."""

import threading

import pytest
from django.db import connection
from django.test import Client

from cases.models import Conversation, Message
from tests.twilio_helpers import new_sid, signed_post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]

CALLER = "+15125550178"


def _post_together(count: int, params: dict) -> list:
    """POST ``params`` to /twilio/voice/ ``count`` times at once, each from its own thread
    and connection; return the responses."""
    barrier = threading.Barrier(count)
    responses: list = [None] * count

    def post(index: int) -> None:
        try:
            barrier.wait()
            responses[index] = signed_post(Client(), "/twilio/voice/", params)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.mark.parametrize("known_caller", [False, True], ids=["new number", "known number"])
def test_a_new_call_delivered_twice_at_once_is_one_call(twilio_settings, known_caller):
    """The second delivery waits on the contact lock, then finds the call the first one made
    (it used to insert the CallSid again: 500 on unique_call_sid)."""
    if known_caller:
        signed_post(Client(), "/twilio/voice/", {"CallSid": new_sid("CA"), "From": CALLER})
    sid = new_sid("CA")
    params = {"CallSid": sid, "From": CALLER, "To": "+18005550199"}
    for _ in range(3):
        responses = _post_together(2, params)
        assert [r.status_code for r in responses] == [200, 200]
        assert responses[0].content == responses[1].content
    call = Conversation.objects.get(call_sid=sid)
    assert call.call_step == 1
    assert Message.objects.filter(conversation=call).count() == 1
