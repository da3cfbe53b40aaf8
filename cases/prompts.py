"""Renders the flow's prompts as words, in the caller's language, for a text or a call."""

from __future__ import annotations

from collections import Counter

from django.utils import translation

from cases.flow import Prompt, place_from_key
from routing.messages import guidance_brief, guidance_message, text_render
from routing.places import place_name
from routing.reference import Place, PlaceKind, ReferenceData


def prompt_render(prompt: Prompt, *, language: str, voice: bool, reference: ReferenceData) -> str:
    """One prompt as text (``voice`` picks the wording for the phone menu)."""
    if prompt.key == "outcome":
        # A text gets the short answer (MORE gives the rest); a call hears all of it.
        render = guidance_message if voice else guidance_brief
        return render(prompt.params["decision"], language=language)
    if prompt.key == "outcome_full":
        return guidance_message(prompt.params["decision"], language=language)
    context: dict[str, object] = {"voice": voice, **prompt.params}
    if "candidates" in prompt.params:
        context["choices"] = _choices(prompt.params["candidates"], reference, language)
    for name in ("place", "country"):
        if name in prompt.params:
            context[name] = place_name(
                place_from_key(prompt.params[name]),
                reference=reference,
                language=language,
                in_sentence=True,
            )
    return text_render(f"flow/{prompt.key}.txt", context, language=language)


def prompts_render(
    prompts: tuple[Prompt, ...], *, language: str, voice: bool, reference: ReferenceData
) -> str:
    """Several prompts as one message, paragraphs separated by a blank line."""
    return "\n\n".join(
        prompt_render(p, language=language, voice=voice, reference=reference) for p in prompts
    )


def _choices(keys: tuple[str, ...], reference: ReferenceData, language: str) -> list[dict]:
    places = [place_from_key(key) for key in keys]
    names = [place_name(p, reference=reference, language=language) for p in places]
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
