#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Keyline needs, builds it with warnings as errors and runs
# every test suite headless (Xvfb inside a D-Bus session).
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh test
builddir=_build-test
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" -Dwerror=true
meson compile -C "$builddir"

status=0
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 </dev/null || status=$?

# One closing line a CI reader understands, from meson's own results.
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"): passed += 1
        elif r == "SKIP": skipped += 1
        else: failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
