# Jejaring production image: the Django app under gunicorn (the `web` service) and the
# background task worker (the `worker` service). See docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    PYTHONPATH=/app

# gettext: msgfmt for compilemessages (run below, at build time). Pango (and a font) for
# WeasyPrint, which writes the semester report's PDF.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 jejaring \
    && useradd --system --uid 10001 --gid jejaring --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin jejaring

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when pyproject.toml changes. Only the
# [project] dependencies are installed: the code runs from the source tree in /app (on
# PYTHONPATH), where settings expect the templates, static files, locale and tenants/data.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c constraints.txt \
    && rm /tmp/requirements.txt

COPY . .

# Translations and static files are part of the image. Static files are collected with
# DEBUG off, i.e. with WhiteNoise's compressed manifest storage, as production serves them.
# No database is needed for either.
RUN chmod 0755 docker/entrypoint.sh \
    && (cd portal && python ../manage.py compilemessages -v 0) \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-time-only-static-files-no-secret \
       python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /data/media /data/exports \
    && chown -R jejaring:jejaring /data /app/static_collected

USER jejaring

# Uploaded files and exports; docker-compose mounts a named volume, shared by web and worker,
# on /data (a new named volume takes these directories, and their owner, from the image).
ENV MEDIA_ROOT=/data/media \
    EXPORT_ROOT=/data/exports

EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# --limit-request-line 8190 (gunicorn's largest), as scripts/serve.sh: any search the search box
# can send passes to the page, which says itself when a query is too long.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--limit-request-line", "8190"]
