#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Prints the URL of a fresh, empty keyline-server store on PostgreSQL: a new
# schema in the database $KEYLINE_TEST_POSTGRES names (build-aux/
# with-postgres.sh sets it), with the URL's search_path set to that schema.
# tests/server's suite runs it through $KEYLINE_TEST_STORE_CMD once per test.
set -euo pipefail

: "${KEYLINE_TEST_POSTGRES:?run this under build-aux/with-postgres.sh (KEYLINE_TEST_POSTGRES is not set)}"
schema="kl_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
psql "$KEYLINE_TEST_POSTGRES" -qAtX -v ON_ERROR_STOP=1 -c "CREATE SCHEMA $schema" >/dev/null
case "$KEYLINE_TEST_POSTGRES" in
  *\?*) sep='&' ;;
  *)    sep='?' ;;
esac
printf '%s%soptions=-csearch_path%%3D%s\n' "$KEYLINE_TEST_POSTGRES" "$sep" "$schema"
