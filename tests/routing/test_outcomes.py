"""Every outcome code has words for staff."""

from routing.engine import Outcome
from routing.outcomes import OUTCOME_LABELS, outcome_label


def test_every_outcome_has_a_distinct_label():
    assert set(OUTCOME_LABELS) == set(Outcome)
    assert len(set(OUTCOME_LABELS.values())) == len(Outcome)


def test_unknown_and_blank_codes_are_shown_safely():
    assert outcome_label("us_caller_treaty_country").startswith("Caller in the U.S.")
    assert outcome_label("retired_code") == "retired_code"
    assert outcome_label("") == "-"
