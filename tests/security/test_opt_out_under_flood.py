"""Finding 3: opt-out and opt-in keywords are handled first, always, and never rate-limited;
an opted-out number never gets "slow down"."""

import pytest
from django.core.cache import cache

from cases.models import Contact, Message
from tests.hotline.test_sms_webhook import send

pytestmark = pytest.mark.django_db

CALLER = "+15125550100"


@pytest.fixture
def flooded(client, twilio_settings):
    """A number already over its allowance for this minute."""
    twilio_settings.TEXTS_PER_MINUTE_PER_NUMBER = 3
    cache.clear()
    for _ in range(5):
        send(client, "hi", sender=CALLER)
    return client


@pytest.mark.parametrize("word", ["STOP", "alto", "PARAR", "Unsubscribe"])
def test_stop_during_a_flood_is_stored(flooded, word):
    assert send(flooded, word, sender=CALLER) == []
    contact = Contact.objects.get(phone=CALLER)
    assert contact.opted_out
    assert Message.objects.filter(direction="inbound", body=word).exists()


def test_start_during_a_flood_opts_back_in(flooded):
    send(flooded, "STOP", sender=CALLER)
    reply = send(flooded, "START", sender=CALLER)
    assert reply
    assert not Contact.objects.get(phone=CALLER).opted_out


def test_an_opted_out_number_never_gets_slow_down(client, twilio_settings):
    twilio_settings.TEXTS_PER_MINUTE_PER_NUMBER = 3
    cache.clear()
    send(client, "STOP", sender=CALLER)
    answers = [send(client, "hi", sender=CALLER) for _ in range(6)]
    assert answers == [[]] * 6
