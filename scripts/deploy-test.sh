#!/usr/bin/env bash
# Follow the README's Deployment section word for word on a fresh throwaway PostgreSQL cluster, then log in
# over HTTP as the head `flask setup` created, run the README's cron lines, then the README's single sign-on
# block, and sign the head on through a test OpenID provider.
#
#   scripts/deploy-test.sh            exit 0 when every step worked; the log of each step is printed on failure
#
# The README's shell block (between <!-- deploy-test:begin --> and <!-- deploy-test:end -->) runs as one bash
# script with only these changes, because this machine is not the server:
#   - /opt/kp/src is this checkout; /opt/kp, /etc/kp, /var/lib/kp, /etc/systemd/system are folders under a
#     temporary directory;
#   - the DATABASE_URL value is the throwaway cluster's, and port 8000 is a free port;
#   - `chown` to the kp user is skipped (there is no such user here) and `systemctl` is played by this script:
#     `enable --now kompetenceportalen` starts the installed unit's ExecStart in its WorkingDirectory with its
#     EnvironmentFile, and returns once gunicorn answers (as Type=notify does).
# Every executable in scripts/deploy-test.d/ then runs with the same environment (e.g. the single sign-on
# step): KP_DEPLOY_URL (gunicorn's address), KP_DEPLOY_ENV (the env file), KP_DEPLOY_WORK, KP_DEPLOY_SRC.
set -euo pipefail

src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kp-deploy.XXXXXX")"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/kp-deploy-pg.XXXXXX")"
chmod 755 "$work"
gunicorn_pid=""
provider_pid=""

cleanup() {
    if [[ -n "$gunicorn_pid" ]] && kill -0 "$gunicorn_pid" 2>/dev/null; then
        kill "$gunicorn_pid" 2>/dev/null || true
        wait "$gunicorn_pid" 2>/dev/null || true
    fi
    if [[ -n "$provider_pid" ]]; then kill "$provider_pid" 2>/dev/null || true; fi
    "$src/scripts/pg-throwaway.sh" stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "deploy-test: FAILED: $*" >&2
    for log in "$work"/*.log; do
        [[ -f "$log" ]] && { echo "----- $log" >&2; tail -n 60 "$log" >&2; }
    done
    exit 1
}

pg_url="$(KP_PG_DATABASE=kompetenceportalen "$src/scripts/pg-throwaway.sh" start "$pg_dir")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# The same changes for the README block and the unit file it installs.
cat > "$work/localise.sed" <<SED
s#/opt/kp/src#$src#g
s#/opt/kp#$work/opt#g
s#/etc/kp#$work/etc#g
s#/var/lib/kp#$work/var#g
s#/etc/systemd/system#$work/systemd#g
s#postgresql://kp:change-me@db.example.internal/kompetenceportalen#$pg_url#g
s#127.0.0.1:8000#127.0.0.1:$port#g
SED
localise() { sed -f "$work/localise.sed"; }

block="$(sed -n '/<!-- deploy-test:begin -->/,/<!-- deploy-test:end -->/p' "$src/README.md" \
         | sed -e '/^<!--/d' -e '/^```/d' | localise)"
[[ -n "$block" ]] || fail "no deploy-test block in README.md"
mkdir -p "$work/opt" "$work/systemd"

cat > "$work/prelude.sh" <<PRELUDE
set -euo pipefail
chown() { echo "(deploy-test: skipped chown \$*)"; }
systemctl() {
    case "\$*" in
        daemon-reload) ;;
        "enable --now kompetenceportalen") "$work/start-unit.sh" ;;
        "restart kompetenceportalen")
            pid="\$(cat "$work/gunicorn.pid")"
            kill "\$pid"
            while kill -0 "\$pid" 2>/dev/null; do sleep 0.2; done
            "$work/start-unit.sh" ;;
        *) echo "deploy-test: unexpected systemctl \$*" >&2; return 1 ;;
    esac
}
PRELUDE

# systemd's part: read the installed unit and start its ExecStart the way systemd would.
cat > "$work/start-unit.sh" <<'UNIT'
#!/usr/bin/env bash
set -euo pipefail
unit="$KP_DEPLOY_WORK/systemd/kompetenceportalen.service"
value() { sed -n "s/^$1=//p" "$unit" | sed -f "$KP_DEPLOY_WORK/localise.sed"; }
cd "$(value WorkingDirectory)"
set -a && . "$(value EnvironmentFile)" && set +a
# shellcheck disable=SC2046
nohup $(value ExecStart) >"$KP_DEPLOY_WORK/gunicorn.log" 2>&1 &
echo $! >"$KP_DEPLOY_WORK/gunicorn.pid"
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$KP_DEPLOY_URL/healthz" 2>/dev/null; then exit 0; fi
    kill -0 "$(cat "$KP_DEPLOY_WORK/gunicorn.pid")" 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }
    sleep 0.5
done
echo "gunicorn did not answer /healthz" >&2
exit 1
UNIT
chmod +x "$work/start-unit.sh"

export KP_DEPLOY_WORK="$work" KP_DEPLOY_URL="http://127.0.0.1:$port" KP_DEPLOY_ENV="$work/etc/kp.env"
export KP_DEPLOY_SRC="$src"
# The README block runs as if on a fresh server: none of this shell's settings leak in.
env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" LANG=C.UTF-8 \
    KP_DEPLOY_WORK="$work" KP_DEPLOY_URL="$KP_DEPLOY_URL" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    bash -c "$(cat "$work/prelude.sh"; echo "$block")" >"$work/readme.log" 2>&1 \
    || { gunicorn_pid="$(cat "$work/gunicorn.pid" 2>/dev/null || true)"; fail "the README's Deployment block"; }
gunicorn_pid="$(cat "$work/gunicorn.pid")"
grep -qx "ok" "$work/readme.log" || fail "curl /healthz did not print ok"

code="$(sed -n 's/.*One-time start code (shown only now): \([^ ]*\)$/\1/p' "$work/readme.log")"
[[ -n "$code" ]] || fail "flask setup printed no start code"
python3 "$src/scripts/deploy-login.py" "$KP_DEPLOY_URL" tove@example.dk "$code" "Tove Tilbudsleder" \
    >"$work/login.log" 2>&1 || fail "logging in as the head over HTTP"

# The access log has the request id, status, duration and the head's id; the app logs are JSON lines.
grep -Eq '^\[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9:]{8} [+-][0-9]{4}\] request_id=[0-9a-f]{32} status=200 duration_ms=[0-9]+ user_id=[0-9]+ method=GET path="/"' \
    "$work/gunicorn.log" || fail "no access log line for the head's dashboard"
if grep -q "Tove" "$work/gunicorn.log"; then fail "a name in the server log"; fi

# The README's cron lines, each as its user would run it (the command after the five time fields and the user).
sed -n '/^```cron/,/^```$/p' "$src/README.md" | sed -e '/^```/d' | localise | while read -r _ _ _ _ _ _ command; do
    env -i PATH="/usr/bin:/bin" HOME="$HOME" LANG=C.UTF-8 sh -c "$command" >>"$work/cron.log" 2>&1 \
        || fail "cron line: $command"
done

# Single sign-on, as the README's second block switches it on: a real OpenID provider (oidc-provider-mock,
# from the test environment) plays the region's directory; the block's placeholders become its address and
# registration, and `systemctl restart` restarts the unit. The head then signs on with a directory account
# that carries their e-mail, and an account the portal does not know is refused.
provider_python="${KP_DEPLOY_PYTHON:-$src/.venv/bin/python}"
(cd "$src" && exec "$provider_python" -m tests.oidc_provider "$work/oidc.url") >"$work/oidc.log" 2>&1 &
provider_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/oidc.url" ]] && break; sleep 0.1; done
[[ -s "$work/oidc.url" ]] || fail "the test OpenID provider did not start"
provider_url="$(cat "$work/oidc.url")"
cat >> "$work/localise.sed" <<SED
s#https://login.microsoftonline.com/<tenant-id>/v2.0#$provider_url#g
s#<application (client) id>#kompetenceportalen#g
s#<secret value>#deploy-test-client-secret#g
SED
curl -fsS -X PUT -H "Content-Type: application/json" -d '{"email": "Tove@Example.dk", "oid": "4f1c-tove"}' \
    "$provider_url/users/tove-directory" >/dev/null || fail "registering the head at the test provider"
curl -fsS -X PUT -H "Content-Type: application/json" -d '{"email": "ukendt@example.dk", "oid": "4f1c-ukendt"}' \
    "$provider_url/users/stranger-directory" >/dev/null || fail "registering a stranger at the test provider"
sso_block="$(sed -n '/<!-- deploy-test-sso:begin -->/,/<!-- deploy-test-sso:end -->/p' "$src/README.md" \
             | sed -e '/^<!--/d' -e '/^```/d' | localise)"
[[ -n "$sso_block" ]] || fail "no deploy-test-sso block in README.md"
env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" LANG=C.UTF-8 \
    KP_DEPLOY_WORK="$work" KP_DEPLOY_URL="$KP_DEPLOY_URL" \
    bash -c "$(cat "$work/prelude.sh"; echo "$sso_block")" >"$work/readme-sso.log" 2>&1 \
    || { gunicorn_pid="$(cat "$work/gunicorn.pid" 2>/dev/null || true)"; fail "the README's single sign-on block"; }
gunicorn_pid="$(cat "$work/gunicorn.pid")"
python3 "$src/scripts/deploy-login.py" --sso "$KP_DEPLOY_URL" tove-directory "Tove Tilbudsleder" \
    >"$work/sso.log" 2>&1 || fail "signing the head on through single sign-on"
python3 "$src/scripts/deploy-login.py" --sso "$KP_DEPLOY_URL" stranger-directory - \
    >>"$work/sso.log" 2>&1 || fail "an unknown directory account was not refused"
kill "$provider_pid" 2>/dev/null || true

for hook in "$src"/scripts/deploy-test.d/*; do
    [[ -x "$hook" ]] || continue
    "$hook" >"$work/hook-$(basename "$hook").log" 2>&1 || fail "hook $(basename "$hook")"
done

# Last, an outage: with the database gone, /healthz says 503, pages are the Danish 503 page, and each failed
# request is at most two log lines (its access line and one app line), never a traceback.
cookie="$(sed -n 's/^cookie: //p' "$work/login.log")"
"$src/scripts/pg-throwaway.sh" stop "$pg_dir" >/dev/null
before="$(wc -l <"$work/gunicorn.log")"
for n in 1 2 3 4 5; do
    status="$(curl -s -o "$work/outage.html" -w '%{http_code}' -H "Cookie: $cookie" -H "X-Forwarded-Proto: https" \
              -H "X-Request-ID: outage-$n" "$KP_DEPLOY_URL/")"
    [[ "$status" == 503 ]] || fail "a page during the outage answered $status"
    grep -q "Kompetenceportalen kan ikke nås lige nu" "$work/outage.html" || fail "no Danish outage page"
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$KP_DEPLOY_URL/healthz")" == 503 ]] || fail "/healthz during the outage"
sleep 1
tail -n "+$((before + 1))" "$work/gunicorn.log" >"$work/outage.log"
if grep -q "Traceback" "$work/outage.log"; then fail "a traceback in the log during the outage"; fi
(( $(wc -l <"$work/outage.log") <= 12 )) || fail "more than two log lines per failed request during the outage"
grep -q '"request_id": "outage-3"' "$work/outage.log" || fail "no JSON app line with the request id"

echo "deploy-test: OK (README Deployment block, login as the head, access log, cron lines, single sign-on, an outage)"
