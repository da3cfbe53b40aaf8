"""Turns a ``Decision`` into the words a caller reads or hears, in their language.

The wording lives in ``templates/guidance/<outcome>.txt`` and its Spanish in
``locale/es/LC_MESSAGES/django.po``; this module only gathers the facts the templates show.
"""

from __future__ import annotations

import re

from django.template import Context, engines
from django.utils import translation

from routing import federal
from routing.engine import Decision, Modifier, agency_contact
from routing.reference import UsState

#: Twilio's limit for one message body; every guidance text must fit in it.
MAX_TEXT_LENGTH = 1600

_BLANK_LINES = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t]+")


def guidance_message(decision: Decision, *, language: str) -> str:
    """The outcome's text in ``language`` ("en" or "es"), paragraphs split by blank lines."""
    return text_render(
        f"guidance/{decision.outcome.value}.txt", _context(decision, language), language=language
    )


def text_render(template_name: str, context: dict[str, object], *, language: str) -> str:
    """A plain-text template in ``language``, with spacing tidied for a text or for speech."""
    template = engines["django"].engine.get_template(template_name)
    with translation.override(language):
        # Plain text for SMS and speech: HTML escaping would turn "&" into "&amp;".
        text = template.render(Context(context, autoescape=False))
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _context(decision: Decision, language: str) -> dict[str, object]:
    contact_kinds = {contact.kind: contact for contact in decision.contacts}
    context: dict[str, object] = {
        "map_url": federal.OCSS_AGENCY_MAP.url,
        "foreign_attorney_url": federal.STATE_DEPARTMENT_FOREIGN_ATTORNEY.url,
        "abduction_phone": federal.STATE_DEPARTMENT_ABDUCTION.phone,
        "abduction_phone_abroad": federal.STATE_DEPARTMENT_ABDUCTION.phone_abroad,
        "abduction_url": federal.STATE_DEPARTMENT_ABDUCTION.url,
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
        context["state"] = decision.state.display_name(language)
    if decision.other_state:
        context["other_state"] = decision.other_state.display_name(language)
    if decision.jurisdiction:
        context["country"] = decision.jurisdiction.display_name(language)
    elif decision.other_jurisdiction:
        context["country"] = decision.other_jurisdiction.display_name(language)
    if decision.agency_state:
        context.update(_agency_context(decision.agency_state))
    return context


def _agency_context(state: UsState) -> dict[str, str]:
    contact = agency_contact(state)
    return {"agency_name": contact.name, "agency_phone": contact.phone, "agency_url": contact.url}


def _url(contact: federal.Contact | None) -> str:
    return contact.url if contact else ""
