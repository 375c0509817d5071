#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation compiles cleanly and is complete: the catalogue is
# regenerated from the sources, merged, and must have no untranslated or
# fuzzy message.
set -euo pipefail
srcdir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$srcdir"

# Every file with a translatable string is listed, or its strings would
# silently stay English.
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$' | sort)
present=$( { grep -lE '(^|[^a-zA-Z0-9_])(N?C?_|g_dngettext|ngettext)\(' src/*/*.c; \
             grep -l 'translatable="yes"' ui/*.ui; } | sort)
missing=$(comm -13 <(echo "$listed") <(echo "$present"))
if [ -n "$missing" ]; then
  echo "po/POTFILES.in misses files with translatable strings:" >&2
  echo "$missing" >&2
  exit 1
fi
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --add-comments=Translators \
  --files-from=<(grep -v '^#' po/POTFILES.in | grep -v '^$') -o "$work/keyline.pot" 2>"$work/xgettext.log" || {
  cat "$work/xgettext.log" >&2; exit 1; }

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$work/keyline.pot" -o "$work/$lang.po"
  msgfmt --check --statistics -o /dev/null "$work/$lang.po" 2>"$work/$lang.stats" || status=1
  if grep -Eq 'untranslated|fuzzy' "$work/$lang.stats"; then
    echo "po/$lang.po is incomplete: $(cat "$work/$lang.stats")" >&2
    msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep '^msgid' | head -20 >&2
    status=1
  fi
done
exit $status
