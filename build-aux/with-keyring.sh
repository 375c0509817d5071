#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in a private D-Bus session with a throwaway Secret Service:
# gnome-keyring, its keyrings in a temporary folder (HOME and XDG_DATA_HOME
# point there), unlocked with a throwaway password, so `keyline-cli sync
# login` stores its token in a real keyring without touching the user's.
# KEYLINE_TEST_KEYRING=1 tells the command it has one. Everything goes with
# the session when the command ends. Exit 77 (skip) without gnome-keyring.
#
#   build-aux/with-keyring.sh COMMAND [ARG...]
set -euo pipefail

if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
  echo "with-keyring: gnome-keyring or dbus-run-session is missing (see build-aux/deps.sh)" >&2
  exit 77
fi
if [ -z "${KEYLINE_TEST_KEYRING:-}" ]; then
  export KEYLINE_TEST_KEYRING=1
  exec dbus-run-session -- "$0" "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/keyline-keyring.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export HOME="$dir" XDG_DATA_HOME="$dir/data"
mkdir -p "$XDG_DATA_HOME"
printf 'keyline-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
status=0
"$@" || status=$?
exit "$status"
