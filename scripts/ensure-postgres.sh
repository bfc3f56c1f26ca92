#!/usr/bin/env bash
# Makes a local PostgreSQL available for the integration tests, installing it when missing.
# Idempotent: safe to run any number of times. Needs root (CI and dev machines run as root).
# Prints the URL of the test server on its last line.
set -euo pipefail

PG_ROLE=tessera
PG_PASSWORD=tessera
PG_URL="postgresql://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:5432/postgres"

log() { echo "[ensure-postgres] $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

as_postgres() {
  if command -v runuser >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres "$@"
  fi
}

apt_lists_empty() {
  [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit 2>/dev/null)" ]
}

install_postgres() {
  export DEBIAN_FRONTEND=noninteractive
  local pkgs=(postgresql)
  if apt_lists_empty; then
    log "apt package lists are empty; running apt-get update"
    as_root apt-get update -q
  fi
  log "installing ${pkgs[*]}"
  if ! as_root apt-get install -y -q --no-install-recommends "${pkgs[@]}"; then
    log "install failed; refreshing package lists and retrying"
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${pkgs[@]}"
  fi
}

# 1. Binaries.
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v pg_lsclusters >/dev/null 2>&1 \
   || [ -z "$(find /usr/lib/postgresql -path '*/bin/postgres' -print -quit 2>/dev/null)" ]; then
  install_postgres
fi

# 2. A cluster. pg_lsclusters -h prints: version cluster port status owner datadir logfile.
clusters="$(pg_lsclusters -h 2>/dev/null || true)"
if [ -z "$clusters" ]; then
  version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | tail -1)"
  [ -n "$version" ] || { log "no PostgreSQL server version found under /usr/lib/postgresql"; exit 1; }
  log "creating cluster ${version}/main"
  as_root pg_createcluster --locale=C.UTF-8 "$version" main >/dev/null
  clusters="$(pg_lsclusters -h)"
fi
# Prefer a cluster named main; otherwise the first one listed.
line="$(awk '$2 == "main" { print; exit }' <<<"$clusters")"
[ -n "$line" ] || line="$(head -n1 <<<"$clusters")"
read -r version cluster port status _ <<<"$line"

# 3. Running.
if [[ "$status" != online* ]]; then
  log "starting cluster ${version}/${cluster} (status: ${status})"
  as_root pg_ctlcluster "$version" "$cluster" start
fi

# 4. Accepting connections.
ready=0
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then ready=1; break; fi
  sleep 0.5
done
if [ "$ready" -ne 1 ]; then
  log "PostgreSQL ${version}/${cluster} did not become ready on 127.0.0.1:${port}"
  tail -n 30 "/var/log/postgresql/postgresql-${version}-${cluster}.log" >&2 || true
  exit 1
fi

# 5. The test role (password auth over TCP; Debian's default pg_hba allows scram for 127.0.0.1).
# From /, which the postgres user can always enter.
(cd / && as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q -X -d postgres) <<SQL >/dev/null
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_ROLE}') THEN
    CREATE ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_ROLE} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  END IF;
END
\$\$;
SQL

if [ "$port" != 5432 ]; then PG_URL="postgresql://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:${port}/postgres"; fi
log "PostgreSQL ${version}/${cluster} is ready"
echo "$PG_URL"
