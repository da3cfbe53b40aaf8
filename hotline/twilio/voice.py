"""``/twilio/voice/``: the phone menu, rendered from the same flow as the texts.

Each answer is collected with ``<Gather>`` whose action names the next step; keypad and
speech both work where a place or yes/no is asked. A person is reached with ``<Dial>`` to
``STAFF_PHONE_NUMBER`` (voicemail with ``<Record>`` when it is unset or nobody answers).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from twilio.twiml.voice_response import Gather, VoiceResponse

from cases.calls import (
    DIAL_ANSWERED,
    CallStep,
    call_status_record,
    call_step_handle,
    call_voicemail_record,
)
from cases.flow import EffectKind, Expect, Inbound, Prompt, Step, place_from_key
from cases.prompts import by_name, prompt_render
from cases.speech import spoken
from hotline.twilio.signatures import twilio_webhook
from routing.places import place_name, speech_hints
from routing.reference import ReferenceData

SPEECH_LANGUAGES = {"en": "en-US", "es": "es-US"}
GATHER_TIMEOUT_SECONDS = 6
VOICEMAIL_MAX_SECONDS = 180


def _voice(language: str) -> str:
    return settings.TWILIO_VOICE_ES if language == "es" else settings.TWILIO_VOICE_EN


def _url(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/twilio/voice/{path}"


def _twiml(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


def _say(node, text: str, language: str) -> None:
    node.say(spoken(text), voice=_voice(language), language=SPEECH_LANGUAGES[language])


def _say_prompts(
    node, prompts: tuple[Prompt, ...], language: str, reference: ReferenceData | None
) -> None:
    for number, prompt in enumerate(prompts):
        if number:
            node.pause(length=1)
        text = prompt_render(prompt, language=language, voice=True, reference=reference)
        if prompt.key == "language_menu":
            # Before a language is chosen each line is said in its own: English, then Spanish.
            for line, line_language in zip(text.splitlines(), SPEECH_LANGUAGES, strict=True):
                _say(node, line, line_language)
            continue
        _say(node, text, language)


def _gather(step: CallStep, language: str) -> Gather:
    """The ``<Gather>`` for what the flow expects next."""
    turn = step.turn
    options: dict[str, object] = {
        "action": _url(f"step/?step={step.next_step}"),
        "method": "POST",
        "timeout": GATHER_TIMEOUT_SECONDS,
        "action_on_empty_result": True,
        "language": SPEECH_LANGUAGES[language],
    }
    if turn.state.step is Step.LANGUAGE:
        options.update(input="dtmf speech", num_digits=1, hints="English, Español, Spanish")
    elif turn.expect is Expect.DIGIT:
        options.update(input="dtmf", num_digits=1)
    elif turn.expect is Expect.YES_NO:
        hints = "yes, no" if language == "en" else "sí, no"
        options.update(input="dtmf speech", num_digits=1, hints=hints, speech_timeout="auto")
    elif turn.expect is Expect.CHOICE and by_name(turn.state.candidates, voice=True):
        options.update(
            input="speech",
            hints=_choice_hints(turn.state.candidates, step.reference, language),
            speech_timeout="auto",
        )
    elif turn.expect is Expect.CHOICE:
        options.update(
            input="dtmf speech",
            num_digits=1,
            hints=_choice_hints(turn.state.candidates, step.reference, language),
            speech_timeout="auto",
        )
    else:
        options.update(
            input="dtmf speech",
            num_digits=1,
            hints=speech_hints(reference=step.reference, language=language),
            speech_timeout="auto",
        )
    return Gather(**options)


def _choice_hints(keys: tuple[str, ...], reference: ReferenceData, language: str) -> str:
    return ", ".join(
        place_name(place_from_key(key), reference=reference, language=language) for key in keys
    )


def render_step(step: CallStep) -> str:
    """One turn of the flow as TwiML: prompts inside a ``<Gather>``, or a transfer, or goodbye."""
    turn = step.turn
    language = turn.state.language
    response = VoiceResponse()
    if turn.expect is Expect.NOTHING:
        if any(effect.kind is EffectKind.HANDOFF for effect in turn.effects):
            _connect_to_staff(response, step, language)
        else:
            _say_prompts(response, turn.prompts, language, step.reference)
            response.hangup()
        return str(response)
    gather = _gather(step, language)
    _say_prompts(gather, turn.prompts, language, step.reference)
    response.append(gather)
    return str(response)


def _connect_to_staff(response: VoiceResponse, step: CallStep, language: str) -> None:
    if settings.STAFF_PHONE_NUMBER:
        _say_prompts(response, step.turn.prompts, language, step.reference)
        dial = response.dial(
            action=_url(f"dial/?language={language}"),
            method="POST",
            timeout=settings.STAFF_DIAL_TIMEOUT_SECONDS,
        )
        dial.number(settings.STAFF_PHONE_NUMBER)
    else:
        _record_voicemail(response, language)


def _record_voicemail(response: VoiceResponse, language: str) -> None:
    _say_prompts(response, (Prompt("voicemail"),), language, reference=None)
    response.record(
        action=_url(f"voicemail/?language={language}"),
        method="POST",
        max_length=VOICEMAIL_MAX_SECONDS,
        finish_on_key="#",
        play_beep=True,
    )
    response.hangup()


def _inbound(request: HttpRequest) -> Inbound:
    form = request.POST
    digits = form.get("Digits", "").strip()[:4]
    speech = form.get("SpeechResult", "").strip()[:200]
    try:
        confidence = float(form.get("Confidence", ""))
    except ValueError:
        confidence = None
    return Inbound(
        text=speech, digits=digits, confidence=confidence, no_input=not (digits or speech)
    )


def _call_identity(request: HttpRequest) -> tuple[str, str] | None:
    call_sid = request.POST.get("CallSid", "")[:64]
    address = request.POST.get("From", "")
    return (call_sid, address) if call_sid and address else None


@twilio_webhook
def voice_incoming(request: HttpRequest) -> HttpResponse:
    """A new call: the language menu."""
    return _step(request, step=0)


@twilio_webhook
def voice_step(request: HttpRequest) -> HttpResponse:
    """The answer to the last ``<Gather>``; ``step`` says which one."""
    try:
        step = int(request.GET.get("step", ""))
    except ValueError:
        return HttpResponseBadRequest("The step query parameter must be a number.")
    return _step(request, step=step)


def _step(request: HttpRequest, *, step: int) -> HttpResponse:
    identity = _call_identity(request)
    if identity is None:
        return HttpResponseBadRequest("CallSid and From are required.")
    call_sid, address = identity
    twiml = call_step_handle(
        call_sid=call_sid,
        address=address,
        step=step,
        inbound=_inbound(request),
        render=render_step,
    )
    return HttpResponse(twiml, content_type="text/xml")


def _language(request: HttpRequest) -> str:
    return "es" if request.GET.get("language") == "es" else "en"


@twilio_webhook
def voice_dial_result(request: HttpRequest) -> HttpResponse:
    """After ``<Dial>``: done if staff answered, else voicemail."""
    response = VoiceResponse()
    if request.POST.get("DialCallStatus", "") in DIAL_ANSWERED:
        response.hangup()
        return _twiml(response)
    _record_voicemail(response, _language(request))
    return _twiml(response)


@twilio_webhook
def voice_voicemail(request: HttpRequest) -> HttpResponse:
    """The recording is stored on the call's handoff; thank the caller and hang up."""
    identity = _call_identity(request)
    recording = request.POST.get("RecordingUrl", "")
    if identity is not None and recording:
        call_voicemail_record(call_sid=identity[0], recording_url=recording)
    language = _language(request)
    response = VoiceResponse()
    _say(
        response,
        prompt_render(Prompt("voicemail_thanks"), language=language, voice=True, reference=None),
        language,
    )
    response.hangup()
    return _twiml(response)


@twilio_webhook
def voice_status(request: HttpRequest) -> HttpResponse:
    """Call status: a finished call closes its conversation and sends the summary asked for."""
    call_sid = request.POST.get("CallSid", "")[:64]
    if call_sid:
        call_status_record(call_sid=call_sid, status=request.POST.get("CallStatus", "").lower())
    return HttpResponse(status=204)
