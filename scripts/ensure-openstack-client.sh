#!/usr/bin/env bash
# Installs the real OpenStack command line clients that test/clients drives, when missing.
# Idempotent: does nothing when /usr/bin/openstack is already there.
set -euo pipefail

PKGS=(python3-openstackclient python3-novaclient)

log() { echo "[ensure-openstack-client] $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

if [ -x /usr/bin/openstack ]; then
  log "$(/usr/bin/openstack --version 2>&1 | head -n1)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit 2>/dev/null)" ]; then
  log "apt package lists are empty; running apt-get update"
  as_root apt-get update -q
fi
log "installing ${PKGS[*]}"
if ! as_root apt-get install -y -q --no-install-recommends "${PKGS[@]}"; then
  log "install failed; refreshing package lists and retrying"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${PKGS[@]}"
fi
log "$(/usr/bin/openstack --version 2>&1 | head -n1)"
