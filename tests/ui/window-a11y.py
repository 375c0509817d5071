#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window as a screen reader and a keyboard user meet it.

Starts `keyline` on a new workspace, finds the welcome page on the
accessibility bus with its three choices (Connect to a Back Office
insensitive until sync lands), presses Try the Demo by its name, then
checks the open workspace:

- no control says its mnemonic ("_Cancel Cancel") or its name twice
  ("Customer Customer"), and every button, toggle and drop-down has a name;
- selecting a sidebar row through the accessibility tree (as the arrow keys
  do) shows its page;
- the header's New Customer and Search Customers show on the customer pages
  only, not on Claims & Returns or Reports;
- on a narrow window, Report Options says whether its panel is out.

Usage: window-a11y.py KEYLINE LOCALEDIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

TIMEOUT = 120
NAMED_ROLES = {Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.COMBO_BOX,
               Atspi.Role.CHECK_BOX, Atspi.Role.RADIO_BUTTON}
# Names GTK gives a widget that has none of its own: the type name.
UNNAMED = re.compile(r"^(Gtk|Adw|Kl)[A-Z]\w*$")
DECORATIONS = {"Minimize", "Maximize", "Close"}


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.get_child_count()
    except GLib.GError:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except GLib.GError:
            continue
        yield from walk(child, depth + 1)


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        # An application may leave the bus while the list is read.
        try:
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_process_id() == pid:
                return app
        except GLib.GError:
            continue
    return None


def wait_for(what, check):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    sys.exit(f"timed out waiting for {what}")


def safe(call, default=None):
    try:
        return call()
    except GLib.GError:
        return default


def showing(node):
    # GTK 4.8 sets "visible" from the widget's own visible property (it does
    # not set "showing"); a hidden widget is left out either way.
    states = safe(node.get_state_set)
    return states is not None and states.contains(Atspi.StateType.VISIBLE)


def sensitive(node):
    states = safe(node.get_state_set)
    return states is not None and states.contains(Atspi.StateType.SENSITIVE)


def find(app, role, name, only_showing=True):
    for node in walk(app):
        if safe(node.get_role) == role and safe(node.get_name) == name and \
                (not only_showing or showing(node)):
            return node
    return None


def content_title(app):
    """The title the content pane's header shows (the page's)."""
    for node in walk(app):
        if safe(node.get_name) == "AdwWindowTitle" and showing(node):
            for label in walk(node):
                name = safe(label.get_name)
                if safe(label.get_role) == Atspi.Role.LABEL and name and name != "Keyline":
                    return name
    return None


def main():
    keyline = sys.argv[1]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("no display: run under xvfb-run (build-aux/test.sh does)")
        sys.exit(77)

    work = tempfile.mkdtemp(prefix="keyline-a11y-")
    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env.pop("LANGUAGE", None)
    env.update({
        "LC_ALL": "C.UTF-8",
        "KEYLINE_WORKSPACE": os.path.join(work, "workspace.db"),
        "XDG_DATA_HOME": work,
        "XDG_CONFIG_HOME": work,
        "GTK_A11Y": "atspi",
    })
    proc = subprocess.Popen([keyline], env=env)
    try:
        app = wait_for("the window on the accessibility bus", lambda: find_app(proc.pid))

        # First run: the welcome page, not a demo filled without asking.
        demo = wait_for("the welcome page's Try the Demo",
                        lambda: find(app, Atspi.Role.PUSH_BUTTON, "Try the Demo"))
        assert find(app, Atspi.Role.PUSH_BUTTON, "Import Your Data"), "no Import Your Data"
        connect = find(app, Atspi.Role.PUSH_BUTTON, "Connect to a Back Office")
        assert connect is not None, "no Connect to a Back Office"
        assert sensitive(connect), "Connect to a Back Office cannot be pressed"
        demo.do_action(0)

        pages = wait_for("the sidebar once the demo is in",
                         lambda: find(app, Atspi.Role.LIST, "Pages"))
        wait_for("the customer list", lambda: find(app, Atspi.Role.LABEL, "40 customers"))

        # A customer row draws its name and code itself (KlTableCell); a
        # screen reader still reads them, as one label.
        def drawn_row():
            for node in walk(app):
                name = safe(node.get_name) or ""
                if safe(node.get_role) == Atspi.Role.LABEL and name.startswith("ACME Industrial Supplies, C0015"):
                    return node
            return None
        wait_for("a customer row read as its name and code", drawn_row)

        # Names: once, without mnemonics, and never missing.
        problems = []
        for node in walk(app):
            role = safe(node.get_role)
            name = safe(node.get_name) or ""
            if role not in NAMED_ROLES or name in DECORATIONS:
                continue
            if "_" in name and re.search(r"(^|\s|\()_\w", name):
                problems.append(f"{role.value_nick} “{name}” says its mnemonic")
            elif re.fullmatch(r"(.+) \1", name):
                problems.append(f"{role.value_nick} “{name}” says its name twice")
            elif not name or UNNAMED.match(name):
                parent = safe(node.get_parent)
                problems.append(f"{role.value_nick} without a name (in “{safe(parent.get_name) if parent else ''}”)")
        assert not problems, "\n".join(sorted(set(problems)))

        # The sidebar: selecting a row (arrow keys, or a screen reader's
        # selection) shows its page; the header follows it.
        selection = pages.get_selection_iface()
        assert selection is not None, "the sidebar offers no selection"
        titles = {0: "Portfolio", 1: "Customers", 2: "Reports", 3: "Claims & Returns"}
        for index in (3, 2, 1, 0):
            selection.select_child(index)
            wait_for(f"the {titles[index]} page after selecting its row",
                     lambda: content_title(app) == titles[index])
            customer_page = titles[index] in ("Portfolio", "Customers")
            for button in ("New Customer", "Search Customers"):
                shown = find(app, Atspi.Role.PUSH_BUTTON, button) is not None
                assert shown == customer_page, \
                    f"“{button}” {'missing from' if customer_page else 'shown on'} {titles[index]}"

        # The Portfolio (shown last) draws each row's cells itself; a screen
        # reader reads the row as each column's title and what it shows.
        def portfolio_row():
            for node in walk(app):
                name = safe(node.get_name) or ""
                if name.startswith("Rank: 1; Customer: ") and "; SLA misses: " in name:
                    return node
            return None
        wait_for("a Portfolio row read with its columns", portfolio_row)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

    # A narrow window on Reports, the workspace now filled: the options
    # panel folds behind Report Options, which says whether it is out.
    settings = os.path.join(work, "glib-2.0", "settings")
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, "keyfile"), "w") as keyfile:
        keyfile.write("[io/github/keyline/Keyline]\nwindow-width=760\nwindow-height=700\n"
                      "sidebar-page='reports'\n")
    env["GSETTINGS_BACKEND"] = "keyfile"
    proc = subprocess.Popen([keyline], env=env)
    try:
        app = wait_for("the narrow window on the accessibility bus", lambda: find_app(proc.pid))
        options = wait_for("the Report Options button",
                           lambda: find(app, Atspi.Role.PUSH_BUTTON, "Report Options"))

        def states(node):
            return {s.value_nick for s in node.get_state_set().get_states()}
        assert "expandable" in states(options), f"Report Options does not say it opens a panel: {states(options)}"
        assert "expanded" not in states(options), "Report Options says its folded panel is out"
        options.do_action(0)
        wait_for("Report Options to say its panel is out", lambda: "expanded" in states(options))
        print("ok: welcome page, names, sidebar selection, header, a Portfolio row and Report Options")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
