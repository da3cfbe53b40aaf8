"""Storing a turn: the check-in both channels schedule comes from turn_apply alone."""

import pytest
from django.utils import timezone

from cases.flow import Inbound, advance, start
from cases.models import Contact, Conversation, Message
from cases.turns import turn_apply
from routing.seed import reference_data_from_files
from tests.flow_helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reference():
    return reference_data_from_files()


def outcome_turn(reference, other):
    state = start(voice=False).state
    for text in ("1", "Texas", other):
        turn = advance(state, Inbound(text=text), voice=False, reference=reference, today=TODAY)
        state = turn.state
    return turn


def apply(turn, conversation, reference):
    return turn_apply(
        turn,
        conversation=conversation,
        contact=conversation.contact,
        reference=reference,
        now=timezone.now(),
    )


def test_an_outcome_naming_an_agency_gives_one_unsaved_check_in(reference):
    contact = Contact.objects.create(phone="+15125550177")
    conversation = Conversation(contact=contact, channel="sms")
    check_in = apply(outcome_turn(reference, "Texas"), conversation, reference)
    assert check_in is not None
    assert check_in.pk is None
    assert check_in.purpose == Message.Purpose.CHECK_IN
    assert "Texas child support program" in check_in.body
    check_in.save()
    assert apply(outcome_turn(reference, "Texas"), conversation, reference) is None


def test_no_check_in_without_an_outcome_or_for_an_opted_out_number(reference):
    contact = Contact.objects.create(phone="+15125550178")
    conversation = Conversation(contact=contact, channel="sms")
    assert apply(start(voice=False), conversation, reference) is None
    contact.opted_out = True
    assert apply(outcome_turn(reference, "Texas"), conversation, reference) is None
