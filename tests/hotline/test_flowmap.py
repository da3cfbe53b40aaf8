"""The flow map and decision table come from the code, and cover it."""

import datetime

from cases.flow import Step
from hotline.workspace.flowmap import decision_rows, diagram, explore
from routing.engine import Outcome
from routing.seed import reference_data_from_files

TODAY = datetime.date(2026, 11, 24)


def test_every_step_of_the_flow_is_reached():
    reference = reference_data_from_files()
    text = explore(voice=False, reference=reference, today=TODAY)
    call = explore(voice=True, reference=reference, today=TODAY)
    steps = {t.target.split(" ")[0] for t in text + call} | {
        t.source.split(" ")[0] for t in text + call
    }
    assert steps >= {step.value for step in Step} - {"offer_person"}
    effects = {item for t in text if t.effects for item in t.effects.split(", ")}
    assert {"outcome: child_abduction", "handoff: abduction", "handoff: requested"} <= effects
    assert "outcome: us_caller_treaty_country" in effects


def test_decision_table_shows_every_place_based_outcome():
    reference = reference_data_from_files()
    rows = decision_rows(reference=reference, today=TODAY)
    place_outcomes = set(Outcome) - {Outcome.CHILD_ABDUCTION, Outcome.HANDOFF_REQUESTED}
    assert {row.outcome for row in rows} == {o.value for o in place_outcomes}


def test_diagram_moves_everywhere_answers_to_the_legend():
    reference = reference_data_from_files()
    text = explore(voice=False, reference=reference, today=TODAY)
    drawn = diagram(text, first="menu")
    assert ("MENU", "menu") in drawn.anywhere
    assert ("AGENT", "handoff") in drawn.anywhere
    assert drawn.svg.startswith("<svg")
