"""Finding 4: a conversation of 28,800 messages (12 hours at the allowed rate) keeps its admin
pages small (one page of its transcript; admin page times are measured by `make bench-volume`,
not asserted here), and a conversation past CONVERSATION_MAX_TEXTS goes to a person."""

import pytest

from cases.flow import HandoffReason
from cases.models import Contact, Conversation, Handoff, Message
from tests.hotline.test_sms_webhook import send

pytestmark = pytest.mark.django_db

SIZE = 28_800
CALLER = "+15125550100"


def test_past_the_cap_a_person_takes_over_and_nothing_automatic_is_sent(client, twilio_settings):
    """The text crossing the cap is told a person will contact them; later ones get nothing."""
    twilio_settings.CONVERSATION_MAX_TEXTS = 4
    for body in ("hi", "1", "nowhere", "nowhere"):
        assert send(client, body, sender=CALLER)
    assert send(client, "nowhere", sender=CALLER) == [
        "Thank you. A member of our staff will contact you as soon as possible."
    ]
    assert send(client, "hello?", sender=CALLER) == []
    assert send(client, "MENU", sender=CALLER) == []
    conversation = Conversation.objects.get()
    assert conversation.status == Conversation.Status.HANDED_OFF
    handoff = Handoff.objects.get(reason=HandoffReason.MESSAGE_CAP)
    assert handoff.status == Handoff.Status.OPEN
    assert conversation.messages.filter(direction="inbound").count() == 7
    assert conversation.messages.filter(direction="outbound").count() == 5


def test_the_cap_is_told_in_spanish_and_the_flow_does_not_run(client, twilio_settings, monkeypatch):
    from cases import flow

    twilio_settings.CONVERSATION_MAX_TEXTS = 2
    send(client, "hola", sender=CALLER)
    send(client, "1", sender=CALLER)
    state = Conversation.objects.get().state

    def not_called(*args, **kwargs):
        raise AssertionError("the flow ran for a text past the cap")

    monkeypatch.setattr(flow, "advance", not_called)
    assert send(client, "Texas", sender=CALLER) == [
        "Gracias. Alguien de nuestro equipo se comunicará con usted lo antes posible."
    ]
    assert Conversation.objects.get().state == state


def test_stop_still_works_past_the_cap(client, twilio_settings):
    twilio_settings.CONVERSATION_MAX_TEXTS = 1
    send(client, "hi", sender=CALLER)
    send(client, "1", sender=CALLER)
    send(client, "STOP", sender=CALLER)
    assert Contact.objects.get(phone=CALLER).opted_out


@pytest.fixture
def long_conversation():
    contact = Contact.objects.create(phone=CALLER)
    conversation = Conversation.objects.create(
        contact=contact, channel="whatsapp", step="menu", status="handed_off"
    )
    Message.objects.bulk_create(
        (
            Message(
                contact=contact,
                conversation=conversation,
                direction="inbound" if n % 2 == 0 else "outbound",
                channel="whatsapp",
                body=f"message number {n} " + "x" * 60,
                status="received" if n % 2 == 0 else "sent",
                delivery_status="" if n % 2 == 0 else "delivered",
            )
            for n in range(SIZE)
        ),
        batch_size=2000,
    )
    handoff = Handoff.objects.create(conversation=conversation, contact=contact, reason="requested")
    return conversation, handoff


@pytest.mark.parametrize("page", ["conversation", "handoff"])
def test_pages_of_a_28800_message_conversation(admin_client, long_conversation, page):
    conversation, handoff = long_conversation
    url = {
        "conversation": f"/admin/cases/conversation/{conversation.pk}/change/",
        "handoff": f"/admin/cases/handoff/{handoff.pk}/change/",
    }[page]
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"message number {SIZE - 1} " in html  # the latest page by default
    assert "message number 0 " not in html
    assert f"of {SIZE}" in html
    assert len(html) < 150_000
    first = admin_client.get(f"{url}?transcript_page=1").content.decode()
    assert "message number 0 " in first
    assert f"message number {SIZE - 1} " not in first
