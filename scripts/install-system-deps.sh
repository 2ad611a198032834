#!/usr/bin/env bash
# Installs the Debian packages the test suite needs to run against real services:
# PostgreSQL 15, Redis, Chromium (browser tests), the openssl CLI (test TLS certificates) and
# Node with npm (the OpenID provider the sign-in tests use; the Makefile installs it with npm ci).
#
# Safe to run again and again: when everything is present it only asks dpkg and exits.
# The tests start their own private PostgreSQL and Redis on free loopback ports, so the
# system-wide services are kept stopped and are not started at boot.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
PACKAGES=(postgresql redis-server chromium openssl nodejs)
# Some nodejs builds carry npm themselves (and conflict with Debian's npm package): ask for
# the package only when the command is missing.
command -v npm >/dev/null || PACKAGES+=(npm)

is_installed() {
    # "ii" means the package is unpacked and configured; anything else needs (re)installing.
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Debian's policy-rc.d hook: exit status 101 tells maintainer scripts not to start services,
# so installing a server package never leaves a system-wide instance running.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
forbid_service_starts() {
    [[ -e "$POLICY" ]] && return 0
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$POLICY" >/dev/null
    as_root chmod 755 "$POLICY"
    OWN_POLICY=1
}
allow_service_starts() {
    if [[ "$OWN_POLICY" -eq 1 ]]; then as_root rm -f "$POLICY"; fi
}
trap allow_service_starts EXIT

# Belt and braces for machines where the hook is ignored (or a service was running already):
# stop what the package may have started and take it out of the boot sequence.
keep_postgresql_down() {
    local conf
    for conf in /etc/postgresql/*/*/start.conf; do
        [[ -e "$conf" ]] || continue
        local version cluster
        version="$(basename "$(dirname "$(dirname "$conf")")")"
        cluster="$(basename "$(dirname "$conf")")"
        as_root pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
        echo manual | as_root tee "$conf" >/dev/null
    done
}
keep_redis_down() {
    as_root service redis-server stop >/dev/null 2>&1 || true
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
        as_root systemctl disable redis-server >/dev/null 2>&1 || true
    else
        as_root update-rc.d redis-server disable >/dev/null 2>&1 || true
    fi
}

missing=()
for package in "${PACKAGES[@]}"; do
    if is_installed "$package"; then
        echo "$package: present"
    else
        missing+=("$package")
    fi
done

if [[ "${#missing[@]}" -eq 0 ]]; then
    exit 0
fi

forbid_service_starts
# The package lists are only refreshed when something is actually missing, to keep reruns fast.
as_root apt-get update -qq
as_root apt-get install -y -qq "${missing[@]}" >/dev/null

for package in "${missing[@]}"; do
    case "$package" in
        postgresql) keep_postgresql_down ;;
        redis-server) keep_redis_down ;;
    esac
    if is_installed "$package"; then
        echo "$package: installed"
    else
        echo "$package: FAILED to install" >&2
        exit 1
    fi
done
