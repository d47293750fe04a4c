#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing:
#   chromium      -> /usr/bin/chromium, driven by Playwright in the browser tests
#   fonts         -> so Chromium renders text (fonts-dejavu-core)
#   postgresql    -> server binaries under /usr/lib/postgresql/*/bin for the throwaway cluster
#   python3-venv  -> only if `python3 -m venv` does not work
# Quick and silent when everything is present. Installs only as root; otherwise it prints
# what is missing and exits 1. Set KP_SKIP_SYSTEM_DEPS=1 to skip the check entirely.
set -euo pipefail

if [[ "${KP_SKIP_SYSTEM_DEPS:-}" == "1" ]]; then
    exit 0
fi

missing=()

if [[ ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi
if [[ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
    missing+=(fonts-dejavu-core)
fi
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
        || ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v runuser >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
    missing+=(util-linux)
fi
# `python3 -m venv` needs ensurepip; Debian splits it into python3-venv. A pyenv or
# python.org build has it built in, so only ask for the package when the import fails.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3-venv)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
    echo "ensure-system-deps: missing Debian packages: ${missing[*]}" >&2
    echo "ensure-system-deps: install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "ensure-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# The postgresql package's postinst creates and starts a "main" cluster; the tests never use
# it (they start their own throwaway cluster), so stop it again if the install started it.
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version name _; do
        pg_ctlcluster "$version" "$name" stop >/dev/null 2>&1 || true
    done
fi

# Check again: anything still missing is an error.
[[ -x /usr/bin/chromium ]] || { echo "ensure-system-deps: /usr/bin/chromium still missing" >&2; exit 1; }
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
    || { echo "ensure-system-deps: PostgreSQL server binaries still missing" >&2; exit 1; }
echo "ensure-system-deps: done"
