"""Renders the flow's prompts as words, in the caller's language, for a text or a call."""

from __future__ import annotations

from collections import Counter

from django.utils import translation

from cases.flow import Prompt, place_from_key
from routing.messages import guidance_brief, guidance_message, text_render
from routing.places import place_name
from routing.reference import Place, PlaceKind, ReferenceData

#: A longer list is not read out as "press N" on a call: the caller says the name instead.
MAX_KEYPAD_CHOICES = 9


def prompt_render(
    prompt: Prompt, *, language: str, voice: bool, reference: ReferenceData | None
) -> str:
    """One prompt as text (``voice`` picks the wording for the phone menu).

    ``reference`` may be None only for a prompt that names no place (a flood's "slow down",
    the voicemail's thanks), which is said without reading the reciprocity data.
    """
    if prompt.key == "outcome":
        # A text gets the short answer (MORE gives the rest); a call hears all of it.
        render = guidance_message if voice else guidance_brief
        return render(prompt.params["decision"], language=language)
    if prompt.key == "outcome_full":
        return guidance_message(prompt.params["decision"], language=language)
    context: dict[str, object] = {"voice": voice, **prompt.params}
    if _names_places(prompt):
        context.update(_places_context(prompt, _needed(reference, prompt), language, voice))
    return text_render(f"flow/{prompt.key}.txt", context, language=language)


def _names_places(prompt: Prompt) -> bool:
    return any(name in prompt.params for name in ("candidates", *_PLACE_PARAMS))


_PLACE_PARAMS = ("country", "caller", "other_parent")


def _needed(reference: ReferenceData | None, prompt: Prompt) -> ReferenceData:
    if reference is None:
        raise ValueError(f"The {prompt.key!r} prompt names places: it needs the reference data.")
    return reference


def _places_context(
    prompt: Prompt, reference: ReferenceData, language: str, voice: bool
) -> dict[str, object]:
    """The names of the places a prompt shows, in the caller's language."""
    context: dict[str, object] = {}
    if "candidates" in prompt.params:
        candidates = prompt.params["candidates"]
        city = prompt.params.get("city", "")
        context["choices"] = _choices(candidates, reference, language, city=city)
        context["by_name"] = by_name(candidates, voice=voice)
    for name in _PLACE_PARAMS:
        if prompt.params.get(name):
            context[name] = place_name(
                place_from_key(prompt.params[name]),
                reference=reference,
                language=language,
                in_sentence=True,
            )
    if prompt.key == "read_back":
        context.update(_read_back_context(prompt.params, reference, language))
    return context


def by_name(candidates: tuple[str, ...], *, voice: bool) -> bool:
    """A call's choice among many places is made by saying a name, not pressing a number."""
    return voice and len(candidates) > MAX_KEYPAD_CHOICES


def _read_back_context(params, reference: ReferenceData, language: str) -> dict[str, object]:
    """The other parent's answer as the read-back says it: unknown, military, or a place."""
    other = place_from_key(params["other_parent"])
    context: dict[str, object] = {"other_is_unknown": other.kind is PlaceKind.DONT_KNOW}
    if params.get("military"):
        context["other_is_unknown"] = False
        if other.kind is PlaceKind.US_STATE:
            context["other_state"] = place_name(other, reference=reference, language=language)
    return context


def prompts_render(
    prompts: tuple[Prompt, ...], *, language: str, voice: bool, reference: ReferenceData
) -> str:
    """Several prompts as one message, paragraphs separated by a blank line."""
    return "\n\n".join(
        prompt_render(p, language=language, voice=voice, reference=reference) for p in prompts
    )


def _choices(
    keys: tuple[str, ...], reference: ReferenceData, language: str, *, city: str = ""
) -> list[dict]:
    """Numbered names; ``city``: the list is the places a city name may mean ("Portland,
    Oregon"), so each choice names the city with its state or country."""
    places = [place_from_key(key) for key in keys]
    names = [place_name(p, reference=reference, language=language) for p in places]
    if city:
        names = [f"{city}, {name}" for name in names]
    repeated = Counter(names)
    return [
        {
            "number": number,
            "name": f"{name} ({_kind_label(place, language)})" if repeated[name] > 1 else name,
        }
        for number, (place, name) in enumerate(zip(places, names, strict=True), start=1)
    ]


def _kind_label(place: Place, language: str) -> str:
    with translation.override(language):
        if place.kind is PlaceKind.US_STATE:
            return translation.gettext("U.S. state")
        return translation.gettext("country")
