#!/usr/bin/env bash
# Runs every OneForm test: the integration tests on SQLite and on a real PostgreSQL, and the browser tests in
# Debian's Chromium. Installs what is missing (Chromium, a CJK font, PostgreSQL, moto's S3 server, Node.js and redocly), starts a throwaway PostgreSQL
# cluster on 127.0.0.1 and a free port with a streaming hot standby beside it, and stops and removes both whatever happens.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)  # not -q: an early exit fails the pipe
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The object-store test talks S3 to moto's server (Python moto[server], part of this kind of machine).
if ! command -v moto_server >/dev/null; then
  echo "Installing moto[server] ..."
  python3 -m pip install --quiet "moto[server]" || { echo "moto_server is needed for the object-store test: pip install 'moto[server]'" >&2; exit 1; }
fi

# The OpenAPI lint test runs redocly from tools/, at the versions tools/package-lock.json pins.
if [[ ! -x tools/node_modules/.bin/redocly ]]; then
  echo "Installing the tools in tools/ (redocly) ..."
  npm ci --prefix tools --no-audit --no-fund --loglevel=error >/dev/null
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cluster=$(mktemp -d /tmp/oneform-pg.XXXXXX)
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) -eq 0 ]] && chown postgres: "$cluster"

free_port() {
  for _ in $(seq 1 50); do
    local candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
  done
}
# Beside the primary, a hot standby fed by streaming replication: the read-replica tests read from it.
stop_cluster() {
  as_postgres "$pg_bin/pg_ctl" -D "$cluster/standby" -m immediate stop >/dev/null 2>&1 || true
  as_postgres "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT

as_postgres "$pg_bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# wal_level=replica is the default; --auth=trust writes "host replication all 127.0.0.1/32 trust" into pg_hba.conf.
# A port found free may be taken before the server binds it: up to three ports, and the server's own log if none works
# (the cluster, log and all, is removed on exit).
for attempt in 1 2 3; do
  port=$(free_port)
  [[ -n $port ]] || { echo "No free port for PostgreSQL" >&2; exit 1; }
  if as_postgres "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w start \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c wal_level=replica -c max_wal_senders=5" >/dev/null; then
    break
  fi
  [[ $attempt -lt 3 ]] || { cat "$cluster/postgres.log" >&2; exit 1; }
done
echo "PostgreSQL for the tests: 127.0.0.1:$port"
export ONEFORM_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"

standby_port=$(free_port)
[[ -n $standby_port && $standby_port != "$port" ]] || { echo "No free port for the PostgreSQL standby" >&2; exit 1; }
# A replication slot keeps the WAL the standby still needs, however busy the primary gets during the tests.
as_postgres "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$cluster/standby" -R -X stream -C -S oneform_standby >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$cluster/standby" -l "$cluster/standby.log" -w start \
  -o "-p $standby_port -k $cluster -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=200" >/dev/null
echo "PostgreSQL hot standby for the tests: 127.0.0.1:$standby_port"
export ONEFORM_TEST_POSTGRES_STANDBY="Host=127.0.0.1;Port=$standby_port;Username=postgres;Database=postgres"

log=$(mktemp)
status=0
# Built once, then the projects one after the other: on two cores, Chromium beside the integration tests' own
# parallel collections made both three times slower (16 minutes together against 5 and 4 alone).
echo "Building ..."
if ! dotnet build OneForm.slnx -v q -nologo >"$log" 2>&1; then cat "$log"; echo "The build failed." >&2; exit 1; fi
: >"$log"
for project in tests/OneForm.Tests tests/OneForm.BrowserTests; do
  dotnet test "$project" --no-build "$@" 2>&1 | tee -a "$log" || status=$?
done

# One closing line for every project together.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
