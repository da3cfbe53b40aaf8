"""The conversation flow and the decision table, drawn from the code itself.

Nothing here describes the flow by hand: the map is found by feeding representative answers
to ``cases.flow.advance`` from the first turn on, and the table by asking
``routing.engine.decide`` about representative pairs of places, against the current data.
So the pictures cannot drift from what callers actually get.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases import flow
from cases.flow import EffectKind, FlowState, Inbound, Step
from routing.engine import Case, CaseError, decide
from routing.outcomes import outcome_label
from routing.places import place_name
from routing.reference import Place, PlaceKind, ReferenceData

_BOTH = "I live in Texas and my ex lives in Spain"
_TAKEN = "my ex took the kids to Brazil and won't bring them back"
_PERSON = "I want to talk to a person"

#: Answers tried at every step: (label, text inbound, voice inbound).
PROBES: tuple[tuple[str, Inbound, Inbound], ...] = (
    ("1", Inbound(text="1"), Inbound(digits="1")),
    ("2", Inbound(text="2"), Inbound(digits="2")),
    ("0", Inbound(text="0"), Inbound(digits="0")),
    ("a state", Inbound(text="Texas"), Inbound(text="Texas", confidence=0.9)),
    ("unsure speech", Inbound(text="Texas"), Inbound(text="Texas", confidence=0.3)),
    ("treaty country", Inbound(text="Germany"), Inbound(text="Germany", confidence=0.9)),
    ("no-arrangement country", Inbound(text="Mexico"), Inbound(text="Mexico", confidence=0.9)),
    ("Georgia", Inbound(text="Georgia"), Inbound(text="Georgia", confidence=0.9)),
    ("Canada", Inbound(text="Canada"), Inbound(text="Canada", confidence=0.9)),
    ("USA", Inbound(text="USA"), Inbound(text="USA", confidence=0.9)),
    ("don't know", Inbound(text="don't know"), Inbound(text="don't know", confidence=0.9)),
    ("military", Inbound(text="military"), Inbound(text="military", confidence=0.9)),
    ("yes", Inbound(text="yes"), Inbound(text="yes", confidence=0.9)),
    ("no", Inbound(text="no"), Inbound(text="no", confidence=0.9)),
    ("gibberish", Inbound(text="qwzx"), Inbound(text="qwzx", confidence=0.9)),
    ("a city", Inbound(text="Chicago"), Inbound(text="Chicago", confidence=0.9)),
    ("both parents", Inbound(text=_BOTH), Inbound(text=_BOTH, confidence=0.9)),
    ("a taken child", Inbound(text=_TAKEN), Inbound(text=_TAKEN, confidence=0.9)),
    ("a person", Inbound(text=_PERSON), Inbound(text=_PERSON, confidence=0.9)),
    ("not sure", Inbound(text="not sure"), Inbound(text="not sure", confidence=0.9)),
    ("AGENT", Inbound(text="AGENT"), Inbound(digits="0")),
    ("MENU", Inbound(text="MENU"), Inbound(digits="*")),
    ("silence", Inbound(text=""), Inbound(no_input=True)),
)
MAX_STATES = 600


@dataclass(frozen=True)
class Transition:
    source: str
    answer: str
    target: str
    effects: str


def node_of(state: FlowState) -> str:
    """A map node: the step, and which question for the place steps."""
    if state.step in (Step.CALLER_PLACE, Step.OTHER_PLACE, Step.CHOOSE):
        return f"{state.step.value} ({state.question})"
    if state.step is Step.FOLLOW_UP:
        return f"follow_up ({state.follow_up})"
    return state.step.value


def explore(*, voice: bool, reference: ReferenceData, today: datetime.date) -> list[Transition]:
    """Breadth-first walk of the flow's states, recording each distinct transition."""
    start = flow.start(voice=voice).state
    # The check-in question is reached days later by a text, not from the first turn.
    check_in = FlowState(step=Step.CHECK_IN)
    seen = {start, check_in}
    queue = deque([start, check_in])
    transitions: set[Transition] = set()
    while queue and len(seen) < MAX_STATES:
        state = queue.popleft()
        for label, text_inbound, voice_inbound in PROBES:
            inbound = voice_inbound if voice else text_inbound
            turn = flow.advance(state, inbound, voice=voice, reference=reference, today=today)
            effects = ", ".join(
                f"{effect.kind.value}: {effect.outcome or effect.reason}"
                for effect in turn.effects
                if effect.kind in (EffectKind.OUTCOME, EffectKind.HANDOFF)
            )
            if _retrying(turn.state):
                continue
            transitions.add(Transition(node_of(state), label, node_of(turn.state), effects))
            if turn.state not in seen:
                seen.add(turn.state)
                queue.append(turn.state)
    return sorted(transitions, key=lambda t: (t.source, t.target, t.answer))


def _retrying(state: FlowState) -> bool:
    """A question asked again after a wrong answer: the same step, drawn once (see legend)."""
    return state.failures > 0 or state.step is Step.OFFER_PERSON


#: The retry rule, which applies at every question and so is stated instead of drawn.
RETRY_RULE = (
    f"A wrong or missing answer asks the same question again; after {flow.MAX_FAILURES} "
    "a person is offered (yes, or no answer three more times: handoff, reason unrecognized; "
    "no: the question again)."
)


@dataclass(frozen=True)
class Diagram:
    svg: SafeString
    anywhere: list[tuple[str, str]]


#: An answer that leads to the same step from at least this share of the steps is drawn once,
#: in the legend ("from any step"), instead of as an arrow from every box.
ANYWHERE_SHARE = 0.6


def diagram(transitions: list[Transition], *, first: str) -> Diagram:
    """Steps in columns by distance from the first one, arrows labelled with the answers."""
    sources = {t.source for t in transitions}
    targets_by_answer: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in transitions:
        targets_by_answer[(t.answer, t.target)].add(t.source)
    anywhere = sorted(
        (answer, target)
        for (answer, target), from_steps in targets_by_answer.items()
        if len(from_steps) >= ANYWHERE_SHARE * len(sources) and answer != target
    )
    skip = set(anywhere)
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in transitions:
        if t.source != t.target and (t.answer, t.target) not in skip:
            edges[(t.source, t.target)].add(t.answer)
    columns = _ordered(_layers(edges, first), edges)
    position = {
        node: (30 + column * (BOX_W + GAP_X), 40 + row * (BOX_H + GAP_Y))
        for column, layer in enumerate(columns)
        for row, node in enumerate(layer)
    }
    width = 60 + len(columns) * (BOX_W + GAP_X)
    height = 120 + max(len(layer) for layer in columns) * (BOX_H + GAP_Y)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11" role="img" aria-label="conversation flow">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>'
    ]
    for (source, target), answers in sorted(edges.items()):
        parts.append(_arrow(position[source], position[target], sorted(answers), source, target))
    for node, (x, y) in position.items():
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            'fill="#f0f6f9" stroke="#417690"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 21}" text-anchor="middle" '
            f'font-weight="bold">{escape(node)}</text>'
        )
    parts.append("</svg>")
    return Diagram(svg=mark_safe("".join(parts)), anywhere=anywhere)


BOX_W, BOX_H, GAP_X, GAP_Y = 190, 34, 120, 26


def _arrow(source_at, target_at, answers: list[str], source: str, target: str) -> str:
    (x1, y1), (x2, y2) = source_at, target_at
    label = ", ".join(answers[:3]) + (" …" if len(answers) > 3 else "")
    title = f"{escape(source)} → {escape(target)}: {escape(', '.join(answers))}"
    if x2 > x1:
        start, end = (x1 + BOX_W, y1 + BOX_H / 2), (x2, y2 + BOX_H / 2)
        bend = (end[0] - start[0]) / 2
        path = (
            f"M{start[0]:.0f},{start[1]:.0f} C{start[0] + bend:.0f},{start[1]:.0f} "
            f"{end[0] - bend:.0f},{end[1]:.0f} {end[0]:.0f},{end[1]:.0f}"
        )
        style = 'stroke="#8aa"'
        label_at = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 4)
    else:
        start, end = (x1 + BOX_W / 2, y1 + BOX_H), (x2 + BOX_W / 2, y2 + BOX_H)
        dip = max(start[1], end[1]) + 30
        path = (
            f"M{start[0]:.0f},{start[1]:.0f} C{start[0]:.0f},{dip:.0f} "
            f"{end[0]:.0f},{dip:.0f} {end[0]:.0f},{end[1]:.0f}"
        )
        return (
            f'<path d="{path}" fill="none" stroke="#c9a" stroke-dasharray="4 3" '
            f'marker-end="url(#arrow)"><title>{title}</title></path>'
        )
    return (
        f'<path d="{path}" fill="none" {style} marker-end="url(#arrow)"><title>{title}</title>'
        f'</path><text x="{label_at[0]:.0f}" y="{label_at[1]:.0f}" fill="#555" '
        f'text-anchor="middle">{escape(label)}</text>'
    )


def _ordered(columns: list[list[str]], edges: dict[tuple[str, str], set[str]]) -> list[list[str]]:
    """Each column sorted by where its steps' predecessors sit, so fewer arrows cross."""
    row: dict[str, float] = {node: index for index, node in enumerate(columns[0])}
    ordered = [columns[0]]
    for layer in columns[1:]:

        def weight(node: str) -> float:
            rows = [row[s] for s, t in edges if t == node and s in row]
            return sum(rows) / len(rows) if rows else float("inf")

        layer = sorted(layer, key=lambda node: (weight(node), node))
        row.update({node: index for index, node in enumerate(layer)})
        ordered.append(layer)
    return ordered


def _layers(edges: dict[tuple[str, str], set[str]], first: str) -> list[list[str]]:
    """Columns by breadth-first distance from ``first``; unreachable steps in a last column."""
    following: dict[str, set[str]] = defaultdict(set)
    nodes = {first}
    for source, target in edges:
        following[source].add(target)
        nodes |= {source, target}
    depth = {first: 0}
    queue = deque([first])
    while queue:
        node = queue.popleft()
        for target in sorted(following[node]):
            if target not in depth:
                depth[target] = depth[node] + 1
                queue.append(target)
    deepest = max(depth.values(), default=0)
    layers: list[list[str]] = [[] for _ in range(deepest + 2)]
    for node in sorted(nodes):
        layers[depth.get(node, deepest + 1)].append(node)
    return [layer for layer in layers if layer]


@dataclass(frozen=True)
class TableRow:
    caller: str
    other_parent: str
    answers: str
    outcome: str
    follow_up: str
    faq: str

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


def decision_rows(*, reference: ReferenceData, today: datetime.date) -> list[TableRow]:
    """The decision table as the engine applies it today, one row per representative case."""
    examples = _examples(reference, today)
    rows = []
    for caller, other, extra in examples:
        try:
            decision = decide(Case(caller, other, **extra), reference=reference, today=today)
        except CaseError:
            continue
        rows.append(
            TableRow(
                caller=_describe(caller, reference),
                other_parent=_describe(other, reference),
                answers=", ".join(f"{key}={value}" for key, value in extra.items()) or "-",
                outcome=decision.outcome.value,
                follow_up=decision.follow_up.value if decision.follow_up else "-",
                faq=", ".join(decision.faq) or "-",
            )
        )
    return rows


def _examples(reference: ReferenceData, today: datetime.date) -> list:
    """Places chosen from the data for each status: a treaty country, one with only a state
    arrangement (with a state that has it), and one with no arrangement."""
    treaty = _preferred(
        "DE", [j for j in sorted(reference.jurisdictions) if _treaty(reference, j, today)]
    )
    state_deal = sorted(
        (state, country)
        for state, country in reference.arrangements
        if not _treaty(reference, country, today)
    )
    none = _preferred(
        "MX",
        [
            code
            for code in sorted(reference.jurisdictions)
            if not _treaty(reference, code, today)
            and not any(country == code for _, country in reference.arrangements)
            and not reference.subdivisions_of(code)
        ],
    )
    home = _preferred("TX", sorted(reference.states))
    away = _preferred("CA", [code for code in sorted(reference.states) if code != home])
    us, dont_know = Place(PlaceKind.US_UNKNOWN, "US"), Place(PlaceKind.DONT_KNOW)
    state, foreign = Place.us_state, Place.foreign
    examples = [
        (state(home), state(home), {}),
        (state(home), state(away), {}),
        (state(home), us, {}),
        (state(home), dont_know, {}),
        (state(home), foreign(treaty), {}),
        (state(home), foreign(none), {}),
        (state(home), foreign(none), {"us_ties": True}),
        (foreign(treaty), state(home), {}),
        (foreign(none), state(home), {}),
        (foreign(none), state(home), {"third_country_order": True}),
        (foreign(none), state(home), {"other_parent_military": True}),
        (foreign(treaty), us, {}),
        (foreign(none), dont_know, {}),
        (foreign(treaty), foreign(none), {}),
    ]
    if state_deal:
        deal_state, deal_country = state_deal[0]
        examples += [
            (state(deal_state), foreign(deal_country), {}),
            (foreign(deal_country), state(deal_state), {}),
        ]
    return examples


def _preferred(code: str, candidates: list[str]) -> str:
    """A familiar example when the data still allows it, else the first that fits."""
    return code if code in candidates else candidates[0]


def _treaty(reference: ReferenceData, code: str, today: datetime.date) -> bool:
    return not reference.subdivisions_of(code) and reference.jurisdictions[code].is_treaty_on(today)


def _describe(place: Place, reference: ReferenceData) -> str:
    name = place_name(place, reference=reference, language="en")
    return f"{name} ({place.code})" if place.code else name
