#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The man pages format without a single warning, and keyline-cli(1) names
every command and every option that keyline-cli's own --help lists.

Usage: check-man.py MANDIR KEYLINE_CLI
Exits 77 (skipped) when neither groff nor man is installed
(build-aux/deps.sh test installs groff-base)."""
import os
import re
import shutil
import subprocess
import sys

mandir, cli = sys.argv[1], sys.argv[2]
pages = ['keyline-cli.1', 'keyline-server.1']
failed = False


def fail(message):
    global failed
    print(message, file=sys.stderr)
    failed = True


env = dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80')
if shutil.which('groff'):
    formatter = ['groff', '-man', '-Tutf8', '-ww', '-z']
elif shutil.which('man'):
    formatter = ['man', '--warnings=w', '-l']
else:
    print('neither groff nor man is installed: skipped', file=sys.stderr)
    sys.exit(77)

for page in pages:
    path = os.path.join(mandir, page)
    result = subprocess.run(formatter + [path], capture_output=True, text=True, env=env)
    if result.returncode != 0 or result.stderr.strip():
        fail(f'{page}: {" ".join(formatter)} exited {result.returncode}:\n{result.stderr}')

# Every command and option keyline-cli offers is in its man page.
source = open(os.path.join(mandir, 'keyline-cli.1'), encoding='utf-8').read()
text = source.replace('\\-', '-')


def run_help(*args):
    result = subprocess.run([cli, *args, '--help'], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        fail(f'keyline-cli {" ".join(args)} --help exited {result.returncode}: {result.stderr}')
    return result.stdout


def options(help_text):
    return set(re.findall(r'^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)', help_text, re.M))


top = run_help()
commands = re.findall(r'^  ([a-z]+(?: [a-z]+)?) +[A-Z]', top.split('Options:')[0], re.M)
if len(commands) < 5:
    fail(f'keyline-cli --help lists too few commands to be read:\n{top}')
for opt in options(top) - {'--help'}:
    if opt not in text:
        fail(f'keyline-cli.1 does not mention {opt}')
for command in commands:
    words = command.split()
    # A command's synopsis starts a line: ".B keyline-cli WORD", and names
    # the second word of a two-word command.
    if (not re.search(r'^\.B keyline-cli ' + re.escape(words[0]) + r'\b', text, re.M)
            or not all(re.search(r'\b' + re.escape(w) + r'\b', text) for w in words)):
        fail(f'keyline-cli.1 has no synopsis for “keyline-cli {command}”')
    for opt in options(run_help(*words)) - {'--help', '--workspace'}:
        if opt not in text:
            fail(f'keyline-cli.1 does not mention {opt} of “keyline-cli {command}”')

sys.exit(1 if failed else 0)
