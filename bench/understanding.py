"""How long reading one message takes: ``understand()`` over the message corpus kept in the
tests, on a warm index, and the index's first build. No database or server is needed.

    python -m bench.understanding
"""

from __future__ import annotations

import statistics
import time

import django

from tests.corpus import corpus_rows

ROUNDS = 5


def main() -> None:
    django.setup()
    from routing import places
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


if __name__ == "__main__":
    main()
