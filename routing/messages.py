"""Turns a ``Decision`` into the words a caller reads or hears, in their language.

The wording lives in ``templates/guidance/<outcome>.txt`` and its Spanish in
``locale/es/LC_MESSAGES/django.po``; this module only gathers the facts the templates show.
"""

from __future__ import annotations

import re

from django.template import Context, Engine, engines
from django.template.backends.django import DjangoTemplates
from django.utils import translation

from routing import federal
from routing.engine import Decision, Modifier, Outcome

#: Outcomes whose wording stands without a "please confirm" (an emergency).
_NO_CAVEAT = frozenset({Outcome.CHILD_ABDUCTION})

#: Twilio's limit for one message body; every guidance text must fit in it.
MAX_TEXT_LENGTH = 1600

_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t]+")
_SPANISH_CONTRACTIONS = re.compile(r"\b([dD]e|[aA]) el ")


def guidance_message(decision: Decision, *, language: str) -> str:
    """The outcome's full text in ``language`` ("en" or "es"), paragraphs split by blank lines:
    for calls, the API, call summaries and the texted MORE."""
    return text_render(
        f"guidance/{decision.outcome.value}.txt", _context(decision, language), language=language
    )


def guidance_brief(decision: Decision, *, language: str) -> str:
    """The outcome as a texter first reads it: the action, the agency or office to call and
    its phone, a few words when unconfirmed; short enough for a few SMS segments."""
    return text_render(
        f"guidance/brief/{decision.outcome.value}.txt",
        _context(decision, language),
        language=language,
    )


def _django_engine() -> Engine:
    """Django's own template engine (not the backend wrapper), to render with a ``Context``."""
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine


def text_render(template_name: str, context: dict[str, object], *, language: str) -> str:
    """A plain-text template in ``language``, with spacing tidied for a text or for speech."""
    template = _django_engine().get_template(template_name)
    with translation.override(language):
        # Plain text for SMS and speech: HTML escaping would turn "&" into "&amp;".
        text = template.render(Context(context, autoescape=False))
    return _tidy(text, language)


def _tidy(text: str, language: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if language == "es":
        # "de" + "el Reino Unido" is "del Reino Unido" ("de El Salvador" keeps its capital).
        text = _SPANISH_CONTRACTIONS.sub(lambda match: f"{match[1]}l ", text)
    return text


def _context(decision: Decision, language: str) -> dict[str, object]:
    contact_kinds = {contact.kind: contact for contact in decision.contacts}
    # Every decision comes from the engine with its contacts and references as staff keep
    # them (the engine falls back to the federal defaults, once, in ``ReferenceData.contact``).
    abduction = contact_kinds.get("state_department_abduction")
    context: dict[str, object] = {
        "map_url": _url(decision.reference("ocss_agency_map")),
        "foreign_attorney_url": _url(contact_kinds.get("state_department_foreign_attorney")),
        "irg_url": _url(contact_kinds.get("ocss_irg")),
        "abduction_phone": abduction.phone if abduction else "",
        "abduction_phone_abroad": abduction.phone_abroad if abduction else "",
        "abduction_url": _url(abduction),
        "unconfirmed": decision.unconfirmed and decision.outcome not in _NO_CAVEAT,
        "map_shown": "ocss_agency_map" in contact_kinds,
        "hague_with_us_unknown": decision.hague_with_us_unknown,
        "caller_abroad": decision.jurisdiction is not None,
        "central_authorities": [
            contact for contact in decision.contacts if contact.kind == "central_authority"
        ],
        "hcch_url": _url(contact_kinds.get("hcch_central_authorities")),
        "ocss_international_url": _url(contact_kinds.get("ocss_international")),
        "hague": "hcch_central_authorities" in contact_kinds,
        "military": Modifier.OTHER_PARENT_MILITARY in decision.modifiers,
        "third_country_order": Modifier.THIRD_COUNTRY_ORDER in decision.modifiers,
        "no_citizenship_needed": Modifier.NO_CITIZENSHIP_NEEDED in decision.modifiers,
    }
    if decision.state:
        context["state"] = decision.state.name_in_sentence(language)
        context["caller_in_us"] = True
    if decision.other_state:
        context["other_state"] = decision.other_state.name_in_sentence(language)
    foreign = decision.jurisdiction or decision.other_jurisdiction
    if foreign:
        context["country"] = foreign.name_in_sentence(language)
        if decision.sovereign:
            sovereign = decision.sovereign.display_name(language)
            context["country"] = f"{context['country']} ({sovereign})"
    agency = contact_kinds.get("state_agency")
    if agency:
        context.update(
            agency_name=_agency_name(decision, agency, language),
            agency_phone=agency.phone,
            agency_phone_abroad=agency.phone_abroad,
            agency_url=agency.url,
        )
    return context


def _agency_name(decision: Decision, agency: federal.Contact, language: str) -> str:
    """The agency's name in ``language``, from the state row it was built from."""
    for state in (decision.state, decision.other_state):
        if state is not None and state.agency_name == agency.name:
            return state.agency_display_name(language)
    return agency.name


def _url(contact: federal.Contact | None) -> str:
    return contact.url if contact else ""
