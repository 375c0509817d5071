#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the Flatpak manifest: it parses, keeps its sandbox holes minimal, and
# every dependency the meson build asks for is either in the GNOME runtime or
# built as a module of the manifest.
import json
import re
import sys

manifest_path, meson_path = sys.argv[1], sys.argv[2]

# What org.gnome.Platform (and the freedesktop runtime under it) provides.
RUNTIME_PROVIDES = {
    "glib-2.0", "gio-2.0", "gobject-2.0", "gtk4", "libadwaita-1", "sqlite3",
    "libsoup-3.0", "json-glib-1.0", "cairo", "pangocairo", "pango", "libsecret-1",
}

problems = []
with open(manifest_path) as f:
    manifest = json.load(f)

if manifest.get("id") != "io.github.keyline.Keyline":
    problems.append("the app id is not io.github.keyline.Keyline")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("the runtime is not org.gnome.Platform with org.gnome.Sdk")
if manifest.get("command") != "keyline":
    problems.append("the command is not keyline")

args = manifest.get("finish-args", [])
for needed in ("--socket=wayland", "--socket=fallback-x11", "--share=network"):
    if needed not in args:
        problems.append(f"finish-args lacks {needed}")
for arg in args:
    if arg.startswith("--filesystem=") or arg in ("--socket=x11", "--socket=session-bus",
                                                  "--socket=system-bus", "--device=all"):
        problems.append(f"finish-args opens the sandbox too far: {arg}")

modules = manifest.get("modules", [])
if not modules or modules[-1].get("name") != "keyline":
    problems.append("the last module is not keyline")
else:
    app = modules[-1]
    if app.get("buildsystem") != "meson":
        problems.append("keyline is not built with meson")
    if not app.get("run-tests"):
        problems.append("keyline's tests are not run in the build")

provided_by_modules = set()
for module in modules[:-1]:
    provided_by_modules.update(module.get("x-provides", [module.get("name")]))

with open(meson_path) as f:
    meson = f.read()
for dep in re.findall(r"dependency\(\s*'([^']+)'", meson):
    if dep not in RUNTIME_PROVIDES and dep not in provided_by_modules:
        problems.append(f"the build needs {dep}, which neither the runtime nor a module provides")

for p in problems:
    print(f"{manifest_path}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
