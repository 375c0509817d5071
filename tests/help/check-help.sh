#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The user guide is valid Mallard, in English and in every translation, and
# every translation is complete: the messages are extracted afresh from the
# pages and merged, so a page changed without its translation fails here.
set -euo pipefail
srcdir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in yelp-check itstool msgmerge msgfmt; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed (build-aux/deps.sh test installs it)" >&2
    exit 77
  fi
done

cd "$srcdir/help"
pages=$(sed -n "s/^  '\([a-z-]*\.page\)',\$/\1/p" meson.build)
# Every page in C/ is built, and every page built is in C/.
listed=$(echo "$pages" | sort)
present=$(cd C && ls -1 *.page | sort)
if [ "$listed" != "$present" ]; then
  echo "help/meson.build's help_pages and help/C/*.page differ:" >&2
  diff <(echo "$listed") <(echo "$present") >&2 || true
  exit 1
fi

status=0
(cd C && yelp-check validate $pages) || status=1

(cd C && itstool -o "$work/help.pot" $pages)
for lang in $(grep -v '^#' LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "$lang/$lang.po" "$work/help.pot" -o "$work/$lang.po"
  msgfmt --check --statistics -o "$work/$lang.mo" "$work/$lang.po" 2>"$work/$lang.stats" || status=1
  if grep -Eq 'untranslated|fuzzy' "$work/$lang.stats"; then
    echo "help/$lang/$lang.po is incomplete: $(cat "$work/$lang.stats")" >&2
    msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep '^msgid' | head -20 >&2
    status=1
  fi
  mkdir -p "$work/$lang"
  (cd C && itstool -m "$work/$lang.mo" -o "$work/$lang/" $pages)
  (cd "$work/$lang" && yelp-check validate $pages) || status=1
done
exit $status
