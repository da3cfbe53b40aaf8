"""gunicorn settings shared by every way the hotline is served (the image, docker-compose.yml,
`make bench`): gunicorn reads this file from the working directory.

Workers are plain synchronous processes (``WEB_CONCURRENCY``, 3 by default): the work is
CPU-bound Python and short database calls, so threads in one process only queue behind one
another's interpreter lock (measured in docs/performance.md).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"


def post_worker_init(worker) -> None:
    """Warm each new worker up before it takes a request (hotline/warmup.py says why)."""
    from hotline.warmup import process_warm

    seconds = process_warm()
    worker.log.info("Worker %s warmed up in %.0f ms", worker.pid, seconds * 1000)
