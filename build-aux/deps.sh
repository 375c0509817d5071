#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Keyline needs to build (and, with "test",
# to run its tests headless). Does nothing when they are all there.
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libsoup-3.0-dev libjson-glib-dev libyajl-dev libsecret-1-dev libcairo2-dev libpango1.0-dev
  desktop-file-utils appstream fonts-noto-cjk
  libpq-dev itstool
  libgsl-dev libical-dev libxlsxwriter-dev libportal-dev libportal-gtk4-dev
)
if [ "${1:-}" = "test" ]; then
  packages+=(xvfb xauth dbus dbus-x11 at-spi2-core python3-gi gir1.2-atspi-2.0
             locales poppler-utils sqlite3 openssl gnome-keyring
             postgresql yelp-tools groff-base python3-openpyxl)
fi
# build-aux/fuzz.sh: clang with libFuzzer and the sanitizer runtimes.
if [ "${1:-}" = "fuzz" ]; then
  packages+=(clang libclang-rt-14-dev llvm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q </dev/null
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# The Chinese UI test needs the zh_CN.UTF-8 locale; the chart test checks
# digit grouping in en_US.UTF-8.
if [ "${1:-}" = "test" ] && ! { locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' &&
                               locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; }; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo sed -i -e 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' -e 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen
  $sudo locale-gen >/dev/null
fi
