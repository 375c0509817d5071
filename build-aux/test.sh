#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what Keyline needs, builds it with warnings as errors and runs
# every test suite headless (Xvfb inside a D-Bus session); then builds it
# again with AddressSanitizer and UndefinedBehaviorSanitizer and runs the
# unit, integration and fuzz suites there. The closing line counts both.
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh test
builddir=_build-test
sanbuilddir=_build-test-sanitize
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" -Dwerror=true
meson compile -C "$builddir"

status=0
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --num-processes 2 </dev/null || status=$?

# The sanitizer build. Leaks in other libraries' caches are suppressed by
# tests/lsan.supp; any UBSan report fails the test.
[ -f "$sanbuilddir/build.ninja" ] ||
  meson setup "$sanbuilddir" -Dwerror=true -Db_sanitize=address,undefined
# Regenerate first, so the list below knows tests added since the last run.
ninja -C "$sanbuilddir" build.ninja >/dev/null
# Only what those suites run (their programs, keyline-cli, the translations
# and schemas): the window is not built a second time.
mapfile -t santargets < <(python3 - "$sanbuilddir" <<'PY'
import json, os, subprocess, sys
build = os.path.realpath(sys.argv[1])
def introspect(what):
    return json.loads(subprocess.check_output(["meson", "introspect", what, build]))
wanted = set()
for t in introspect("--tests"):
    if set(t["suite"]) & {"keyline:unit", "keyline:integration", "keyline:fuzz"}:
        wanted.update(t["depends"])
for t in introspect("--targets"):
    if t["id"] in wanted or t["type"] == "custom" or t["name"] == "keyline-cli":
        for f in t["filename"]:
            print(os.path.relpath(os.path.realpath(f), build))
PY
)
ninja -C "$sanbuilddir" "${santargets[@]}"
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:print_summary=1" \
UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1" \
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
G_SLICE=always-malloc \
  meson test -C "$sanbuilddir" --no-rebuild --print-errorlogs --num-processes 2 \
    --suite unit --suite integration --suite fuzz </dev/null || status=$?

# One closing line a CI reader understands, from meson's own results.
python3 - "$builddir/meson-logs/testlog.json" "$sanbuilddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            r = json.loads(line)["result"]
            if r in ("OK", "EXPECTEDFAIL"): passed += 1
            elif r == "SKIP": skipped += 1
            else: failed += 1
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
