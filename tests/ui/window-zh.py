#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window in Chinese, seen the way a screen reader sees it.

Starts `keyline` under LANG=zh_CN.UTF-8 on a new (demo) workspace, finds it
on the accessibility bus, checks that the sidebar pages and the header
buttons carry their Chinese names from the built catalogue, then presses
the New Customer button by its accessible name, as a person would, and
finds the editor with its Chinese title and field names.

Usage: window-zh.py KEYLINE LOCALEDIR
"""
import gettext
import locale
import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

TIMEOUT = 90


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.get_child_count()
    except gi.repository.GLib.GError:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except gi.repository.GLib.GError:
            continue
        yield from walk(child, depth + 1)


def names(app):
    found = set()
    for node in walk(app):
        try:
            name = node.get_name()
        except gi.repository.GLib.GError:
            continue
        if name:
            found.add(name)
    return found


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        # An application may leave the bus while the list is read.
        try:
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_process_id() == pid:
                return app
        except gi.repository.GLib.GError:
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


def main():
    keyline, localedir = sys.argv[1], sys.argv[2]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("no display: run under xvfb-run (build-aux/test.sh does)")
        sys.exit(77)
    try:
        locale.setlocale(locale.LC_ALL, "zh_CN.UTF-8")
    except locale.Error:
        print("the zh_CN.UTF-8 locale is not installed (build-aux/deps.sh test installs it)")
        sys.exit(77)
    locale.setlocale(locale.LC_ALL, "C.UTF-8")
    zh = gettext.translation("keyline", localedir=localedir, languages=["zh_CN"])
    _ = zh.gettext

    pages = {name: _(name) for name in ("Portfolio", "Customers", "Reports", "Claims & Returns")}
    for english, chinese in pages.items():
        assert chinese != english, f"“{english}” has no Chinese translation in {localedir}"

    # The account's tabs: a view switcher shows a mnemonic's letter as text
    # ("概览(O)"), so their Chinese titles carry none.
    for tab in ("_Overview", "_Contacts", "A_greement", "Ac_tivity", "Ca_ses"):
        assert "(" not in _(tab) and "（" not in _(tab), f"the tab “{tab}” reads “{_(tab)}” in Chinese"

    work = tempfile.mkdtemp(prefix="keyline-zh-")
    env = dict(os.environ)
    env.pop("NO_AT_BRIDGE", None)
    env.pop("LANGUAGE", None)
    env.update({
        "LANG": "zh_CN.UTF-8",
        "LC_ALL": "zh_CN.UTF-8",
        "KEYLINE_WORKSPACE": os.path.join(work, "workspace.db"),
        "KEYLINE_LOCALEDIR": localedir,
        "XDG_DATA_HOME": work,
        "XDG_CONFIG_HOME": work,
        "GTK_A11Y": "atspi",
    })
    # --demo: the new workspace is filled with sample data, not asked about.
    proc = subprocess.Popen([keyline, "--demo"], env=env)
    try:
        app = wait_for("the window on the accessibility bus", lambda: find_app(proc.pid))

        # The sidebar and the header speak Chinese once the demo workspace is open.
        seen = wait_for("the Chinese page names",
                        lambda: (lambda n: n if all(c in n for c in pages.values()) else None)(names(app)))
        for english in ("Main Menu", "Search Customers", "New Customer"):
            assert _(english) in seen, f"no control named “{_(english)}” ({english}) in {sorted(seen)}"
        assert not ({"Customers", "Reports", "Portfolio"} & seen), "English page names left in the Chinese window"

        # Press the New Customer button by its Chinese name, as a person
        # would; the editor opens with its Chinese title and fields.
        def button(name):
            for node in walk(app):
                try:
                    if node.get_role() == Atspi.Role.PUSH_BUTTON and node.get_name() == name:
                        return node
                except gi.repository.GLib.GError:
                    continue
            return None
        def editor_open():
            desktop_app = find_app(proc.pid)
            # The tree may change while it is read: try again then.
            try:
                for i in range(desktop_app.get_child_count() if desktop_app else 0):
                    window = desktop_app.get_child_at_index(i)
                    if window is not None and window.get_name() == _("New Customer"):
                        return names(window)
            except gi.repository.GLib.GError:
                return None
            return None

        # The button works once the demo workspace is open; press until the
        # editor shows.
        editor = None
        deadline = time.monotonic() + TIMEOUT
        while editor is None and time.monotonic() < deadline:
            new_customer = wait_for("the New Customer button", lambda: button(_("New Customer")))
            assert new_customer.get_n_actions() > 0, "the button cannot be pressed"
            new_customer.do_action(0)
            for _attempt in range(10):
                editor = editor_open()
                if editor:
                    break
                time.sleep(0.5)
        if editor is None:
            sys.exit("timed out waiting for the New Customer editor")
        for english in ("Code", "Name", "Region"):
            assert _(english) in editor, f"no “{_(english)}” ({english}) in the editor: {sorted(editor)}"
        print("ok: the window names its pages and controls in Chinese")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
