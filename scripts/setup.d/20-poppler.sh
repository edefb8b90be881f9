#!/usr/bin/env bash
# poppler-utils gives `pdftoppm`, which the report tests use to rasterise the PDF and check pages are not blank.
# Idempotent: does nothing when pdftoppm is already there; refreshes apt's lists only when the install needs it.
set -euo pipefail
command -v pdftoppm >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q --no-install-recommends poppler-utils >/dev/null 2>&1; then
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends poppler-utils >/dev/null
fi
command -v pdftoppm >/dev/null
