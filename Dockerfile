# Linli in one container: `docker build -t linli .` then
#   docker run -p 8000:8000 -e LINLI_SECRET_KEY=... -e LINLI_DATABASE_URL=postgres://... linli
#
# LINLI_PRODUCTION=1 is the default here, and production refuses to start without
# LINLI_SECRET_KEY: supply a long random one (e.g. `python -c "import secrets;
# print(secrets.token_urlsafe(48))"`) and keep it across restarts (tokens are signed with it).
# Without LINLI_DATABASE_URL the database is SQLite in /srv/linli/var (mount a volume there).
# Several instances: PostgreSQL for LINLI_DATABASE_URL and LINLI_REDIS_URL for the event bus.

# ---- build: install the package (not editable) into a virtualenv
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/linli
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY linli ./linli
COPY core ./core
COPY plugins ./plugins
COPY schema ./schema
RUN /opt/linli/bin/pip install .

# ---- run: the virtualenv only, as a non-root user
FROM python:3.11-slim
ENV PATH=/opt/linli/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LINLI_PRODUCTION=1 \
    LINLI_HOST=0.0.0.0 \
    LINLI_PORT=8000
COPY --from=build /opt/linli /opt/linli
RUN useradd --create-home --home-dir /srv/linli --uid 10001 linli \
    && mkdir -p /srv/linli/var && chown linli:linli /srv/linli/var
USER linli
WORKDIR /srv/linli
VOLUME ["/srv/linli/var"]
EXPOSE 8000

# Ready means the database answers (/readyz is 503 otherwise); slim has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('LINLI_PORT', '8000'), timeout=4)"]

# Migrations first (safe to repeat), then the server; exec so it gets the stop signal.
CMD ["sh", "-c", "linli migrate && exec linli serve --host 0.0.0.0 --no-migrate"]
