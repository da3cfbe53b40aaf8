# The hotline's image: one image for web (gunicorn), worker and beat (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_CONCURRENCY=3 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
RUN useradd --create-home --uid 10001 hotline \
    && mkdir -p "$PROMETHEUS_MULTIPROC_DIR" \
    && chown hotline "$PROMETHEUS_MULTIPROC_DIR"
WORKDIR /app
# The runtime lock: every package pinned and hash-checked.
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock
COPY . .
# Static files are collected at build time (hashed and compressed); whitenoise serves them.
# Translations are committed compiled, in locale/. The code stays owned by root: read-only
# for the process.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput
USER hotline
EXPOSE 8000
# gunicorn starts $WEB_CONCURRENCY processes; its own log lines are JSON like the app's.
CMD ["gunicorn", "hotline.wsgi:application", "--bind", "0.0.0.0:8000", "--logger-class", "hotline.logging.GunicornLogger"]
