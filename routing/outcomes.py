"""Outcome codes as staff read them in the workspace (the codes stay for the API and data)."""

from __future__ import annotations

from routing.engine import Outcome

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.DOMESTIC_SAME_STATE: "Both parents in the same U.S. state",
    Outcome.DOMESTIC_INTERSTATE: "Parents in different U.S. states",
    Outcome.DOMESTIC_LOCATE: "Caller in a U.S. state, other parent's state unknown",
    Outcome.US_CALLER_TREATY_COUNTRY: "Caller in the U.S., other parent in a treaty country",
    Outcome.US_CALLER_STATE_RECIPROCITY: "Caller in the U.S., state-level arrangement",
    Outcome.US_CALLER_NO_ARRANGEMENT: "Caller in the U.S., no arrangement with the country",
    Outcome.US_CALLER_NO_ARRANGEMENT_US_TIES: (
        "Caller in the U.S., no arrangement, other parent has U.S. ties"
    ),
    Outcome.ABROAD_CALLER_TREATY_COUNTRY: (
        "Caller abroad in a treaty country, other parent in the U.S."
    ),
    Outcome.ABROAD_CALLER_STATE_RECIPROCITY: "Caller abroad, state-level arrangement",
    Outcome.ABROAD_CALLER_DIRECT_APPLICATION: "Caller abroad, applies directly to the state",
    Outcome.ABROAD_CALLER_LOCATE_VIA_CENTRAL_AUTHORITY: (
        "Caller abroad (treaty country), other parent's state unknown"
    ),
    Outcome.ABROAD_CALLER_LOCATE_NO_TREATY: (
        "Caller abroad (no treaty), other parent's state unknown"
    ),
    Outcome.OUTSIDE_US_PROGRAM: "Neither parent in the U.S.",
    Outcome.CHILD_ABDUCTION: "Child abduction (urgent)",
    Outcome.HANDOFF_REQUESTED: "Asked for a person",
}


def outcome_label(code: str) -> str:
    """The outcome in words; an unknown code (an old row) is shown as it is, blank as '-'."""
    if not code:
        return "-"
    try:
        return OUTCOME_LABELS[Outcome(code)]
    except ValueError:
        return code
