#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Keyline needs, builds it and opens the window. The first run
# creates a demo workspace in the user's data folder
# ($XDG_DATA_HOME/keyline/workspace.db), never in the source tree.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
# The translations as built, so the window speaks the desktop's language.
export KEYLINE_LOCALEDIR="$PWD/_build/po"
# --demo: a new workspace opens filled with sample data, not on the welcome page.
exec ./_build/src/gui/keyline --demo "$@"
