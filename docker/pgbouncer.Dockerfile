# PgBouncer for docker compose: Debian 12's package (1.18), the version the pooler tests and
# `make cluster` run on this project's machines, as its unprivileged `postgres` user.
FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pgbouncer \
    && rm -rf /var/lib/apt/lists/*
COPY pgbouncer.ini /etc/pgbouncer/pgbouncer.ini
USER postgres
EXPOSE 6432
# The user list is written at start from JEJARING_DB_PASSWORD (docker-compose.yml).
CMD ["sh", "-c", "mkdir -p /tmp/pgbouncer && umask 077 && printf '\"jejaring_app\" \"%s\"\\n' \"$JEJARING_DB_PASSWORD\" > /tmp/pgbouncer/userlist.txt && exec pgbouncer /etc/pgbouncer/pgbouncer.ini"]
