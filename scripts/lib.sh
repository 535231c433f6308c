#!/usr/bin/env bash
# Helpers for the set-up scripts.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q "$@" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null
        as_root apt-get install -y -q "$@" >/dev/null
    }
}

# PostgreSQL for the test suite: the server at REVIEWDESK_TEST_DATABASE_URL when it answers;
# otherwise the local cluster is started, or installed from Debian's packages and started.
ensure_postgres() {
    local url=${REVIEWDESK_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}
    if pg_answers "$url"; then return 0; fi
    if [ -n "${REVIEWDESK_TEST_DATABASE_URL:-}" ]; then
        echo "PostgreSQL at REVIEWDESK_TEST_DATABASE_URL=$url does not answer" >&2
        return 1
    fi
    if ! command -v pg_ctlcluster >/dev/null; then
        echo "installing PostgreSQL from Debian's packages" >&2
        apt_install postgresql
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_answers "$url" && return 0; sleep 1; done
    # A fresh Debian cluster asks for a password over TCP: give the test user one.
    as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'reviewdesk'\"" >/dev/null
    export REVIEWDESK_TEST_DATABASE_URL=postgresql+psycopg://postgres:reviewdesk@127.0.0.1:5432/postgres
    pg_answers "$REVIEWDESK_TEST_DATABASE_URL" || {
        echo "could not reach the local PostgreSQL server" >&2
        return 1
    }
}

pg_answers() {
    .venv/bin/python - "$1" <<'PY' 2>/dev/null
import sys

import psycopg
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                password=url.password, dbname=url.database, connect_timeout=3).close()
PY
}

# Debian's Chromium for the browser tests (Playwright's own browser download does not work).
ensure_chromium() {
    if [ ! -x /usr/bin/chromium ]; then
        echo "installing Chromium from Debian's packages" >&2
        apt_install chromium
    fi
}

# Redis for the job-queue tests: started, or installed from Debian's packages, when the
# server at REVIEWDESK_TEST_REDIS_URL does not answer.
ensure_redis() {
    local url=${REVIEWDESK_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
    if redis_answers "$url"; then return 0; fi
    if [ -n "${REVIEWDESK_TEST_REDIS_URL:-}" ]; then
        echo "Redis at REVIEWDESK_TEST_REDIS_URL=$url does not answer" >&2
        return 1
    fi
    if ! command -v redis-server >/dev/null; then
        echo "installing Redis from Debian's packages" >&2
        apt_install redis-server
    fi
    as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
        --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis_answers "$url" && return 0; sleep 0.5; done
    echo "could not start Redis" >&2
    return 1
}

redis_answers() {
    .venv/bin/python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1]).ping()' "$1" \
        2>/dev/null
}
