#!/usr/bin/env bash
# Installs what the test suite runs besides Python packages, idempotently:
# PostgreSQL and Chromium (Debian packages) and the Telegram Bot API emulator (npm).
# The tests start and stop these servers themselves, on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -d tests/services/node_modules/telegram-test-api ]; then
  echo "installing the Telegram Bot API emulator (npm)"
  npm ci --prefix tests/services --no-audit --no-fund --loglevel=error
fi
