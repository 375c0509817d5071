#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command beside a throwaway PostgreSQL 15 cluster: initdb in a
# temporary folder, the server listening only on a Unix socket there (no TCP
# port), and KEYLINE_TEST_POSTGRES set to a libpq URL for it. The cluster is
# stopped and removed when the command ends, whatever its outcome. PostgreSQL
# refuses to run as root, so as root the cluster runs as the `postgres` user.
#
#   build-aux/with-postgres.sh COMMAND [ARG...]
set -euo pipefail

pgbin=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && pgbin="$d"
done
if [ -z "$pgbin" ]; then
  echo "with-postgres: no PostgreSQL server found (install postgresql, see build-aux/deps.sh)" >&2
  exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/keyline-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  chmod 700 "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U keyline -A trust -E UTF8 \
  --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" \
  start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
"${as_owner[@]}" "$pgbin/createdb" -h "$dir" -U keyline keyline_test

# libpq URL with the socket folder as host (percent-encoded slashes).
export KEYLINE_TEST_POSTGRES="postgresql://keyline@${dir//\//%2F}/keyline_test"
export KEYLINE_TEST_POSTGRES_ADMIN="postgresql://keyline@${dir//\//%2F}/postgres"
"$@"
