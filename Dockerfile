# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (the PDF decision letters) needs Pango, HarfBuzz and a font;
# gettext compiles the translations; postgresql-client (15 on this Debian, as the server) is
# manage.py backup/restore's pg_dump and pg_restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The exact, hash-checked versions of requirements.lock first (a layer kept while only the code
# changes), then the project itself without resolving anything again.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .
RUN pip install --no-deps -e . \
    && python manage.py compilemessages --ignore=.venv --verbosity=0

RUN useradd --system --uid 1000 --home-dir /app pic \
    && mkdir -p /app/staticfiles /data/media \
    && chown -R pic:pic /app/staticfiles /data
USER pic

ENV STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media
VOLUME ["/data/media"]
EXPOSE 8000

# docker-compose.yml runs migrate and collectstatic before this; worker and beat override it.
CMD ["gunicorn", "pic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
