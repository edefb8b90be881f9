#!/usr/bin/env bash
# Debian's Chromium and its driver for the browser tests (Playwright drives /usr/bin/chromium directly;
# `playwright install` is never used, so the tests download nothing).
# Idempotent: does nothing when both are installed; refreshes apt's lists only when the install needs it.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
pkgs="chromium chromium-driver fonts-dejavu-core"
if ! $SUDO apt-get install -y -q --no-install-recommends $pkgs >/dev/null 2>&1; then
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends $pkgs >/dev/null
fi
command -v chromium >/dev/null
