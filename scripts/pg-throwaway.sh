#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-throwaway.sh start DIR   create a cluster in DIR (made if missing), start it on a free
#                                       port on 127.0.0.1 and print its URL on stdout:
#                                       postgresql://postgres@127.0.0.1:PORT/kp_test
#   scripts/pg-throwaway.sh stop DIR    stop that cluster and delete DIR
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (made by
# Debian's postgresql package) and every server command runs through `runuser -u postgres`. As any
# other user it runs as that user. Authentication is `trust` (the server listens only on 127.0.0.1 and
# on a unix socket inside DIR) and the superuser is always called `postgres`. fsync is off: the data
# is thrown away anyway. Logs go to DIR/postgres.log. The server binaries are found under
# /usr/lib/postgresql/<newest version>/bin, or from PG_BINDIR if set.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action="$1"
dir="$2"
database="${KP_PG_DATABASE:-kp_test}"

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        echo "$PG_BINDIR"
        return
    fi
    local candidate
    candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$candidate" || ! -x "$candidate/initdb" ]]; then
        echo "pg-throwaway: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" \
             "(run scripts/ensure-system-deps.sh as root)" >&2
        exit 1
    fi
    echo "$candidate"
}

# Run a server command as the cluster's owner.
as_owner() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

start() {
    local bindir port attempt
    bindir="$(find_bindir)"
    if [[ -e "$dir/data/PG_VERSION" ]]; then
        echo "pg-throwaway: $dir already holds a cluster; stop it first" >&2
        exit 1
    fi
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [[ "$(id -u)" == "0" ]]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "pg-throwaway: running as root but there is no 'postgres' user to own the cluster" >&2
            exit 1
        fi
        chown postgres: "$dir"
        chmod 700 "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "pg-throwaway: user postgres cannot write $dir (is a parent directory closed to it?)" >&2
            exit 1
        fi
    fi
    as_owner mkdir -p "$dir/sock"
    as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        echo "pg-throwaway: initdb failed" >&2
        exit 1
    }

    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/postgres.log" --wait --timeout=60 \
                --options="-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null 2>&1; then
            break
        fi
        port=""
        echo "pg-throwaway: start on a free port failed (attempt $attempt), retrying" >&2
    done
    if [[ -z "$port" ]]; then
        tail -n 30 "$dir/postgres.log" >&2 || true
        echo "pg-throwaway: could not start PostgreSQL" >&2
        exit 1
    fi
    echo "$port" | as_owner tee "$dir/port" >/dev/null

    local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
    # The app sorts names with an ICU collation; make sure this server can create one.
    if ! "${psql[@]}" -d postgres >/dev/null 2>&1 <<'SQL'
CREATE COLLATION pg_throwaway_danish_check (provider = icu, locale = 'da-DK');
SELECT 'Åse' < 'Zenia' COLLATE pg_throwaway_danish_check;
DROP COLLATION pg_throwaway_danish_check;
SQL
    then
        echo "pg-throwaway: this PostgreSQL cannot create an ICU collation for da-DK" >&2
        stop
        exit 1
    fi
    local url="postgresql://postgres@127.0.0.1:$port/$database"
    echo "$url" | as_owner tee "$dir/url" >/dev/null
    echo "$url"
}

stop() {
    local bindir
    if [[ ! -d "$dir" ]]; then
        return 0
    fi
    if [[ -e "$dir/data/postmaster.pid" ]]; then
        bindir="$(find_bindir)"
        as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=30 stop >/dev/null 2>&1 \
            || as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >/dev/null 2>&1 \
            || true
    fi
    rm -rf "$dir"
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
