"""How long reading one message takes: ``understand()`` over the message corpus kept in the
tests, on a warm index, and the index's first build; exact place names on a warm index; and
the slowest of the hostile texts the routing tests feed in. No database or server is needed.

    python -m bench.understanding
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import django

from tests.corpus import corpus_rows
from tests.hostile_texts import HOSTILE_TEXTS

ROUNDS = 5
EXACT_NAME_ROUNDS = 1000
#: Targets (docs/performance.md): an exact name on a warm index, and the worst hostile text.
EXACT_NAME_TARGET_MS = 1.0
HOSTILE_PLACE_TARGET_MS = 500.0
HOSTILE_UNDERSTAND_TARGET_MS = 50.0


def _slowest_ms(read: Callable[[str], object]) -> tuple[float, str]:
    """The slowest hostile text for ``read`` (in ms) and a short label for it."""
    worst, label = 0.0, ""
    for text in HOSTILE_TEXTS:
        started = time.perf_counter()
        read(text)
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed > worst:
            worst, label = elapsed, f"{text[:12]!a} ({len(text)} chars)"
    return worst, label


def main() -> None:
    django.setup()
    from routing import places
    from routing.places import recognize_place
    from routing.seed import reference_data_from_files
    from routing.understanding import understand

    texts = [row["text"] for row in corpus_rows()]
    reference = reference_data_from_files()
    places._build_index.cache_clear()
    started = time.perf_counter()
    understand("Texas", reference=reference)
    build_ms = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            understand(text, reference=reference)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99)]
    print(
        f"understanding: {len(texts)} corpus messages x {ROUNDS}: mean "
        f"{statistics.mean(timings):.3f} ms, median {statistics.median(timings):.3f} ms, "
        f"p99 {p99:.3f} ms, max {timings[-1]:.3f} ms; index build {build_ms:.1f} ms"
    )
    started = time.perf_counter()
    for _ in range(EXACT_NAME_ROUNDS):
        recognize_place("Texas", reference=reference)
        recognize_place("vivo en Nueva York", reference=reference)
    exact_ms = (time.perf_counter() - started) * 1000 / (2 * EXACT_NAME_ROUNDS)
    print(
        f"exact place names, warm index: {exact_ms:.3f} ms a call "
        f"(target < {EXACT_NAME_TARGET_MS:g} ms)"
    )
    place_ms, place_text = _slowest_ms(lambda text: recognize_place(text, reference=reference))
    read_ms, read_text = _slowest_ms(lambda text: understand(text, reference=reference))
    print(
        f"hostile texts ({len(HOSTILE_TEXTS)}), slowest: recognize_place {place_ms:.2f} ms on "
        f"{place_text} (target < {HOSTILE_PLACE_TARGET_MS:g} ms); understand {read_ms:.2f} ms "
        f"on {read_text} (target < {HOSTILE_UNDERSTAND_TARGET_MS:g} ms)"
    )


if __name__ == "__main__":
    main()
