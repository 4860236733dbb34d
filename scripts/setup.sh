#!/usr/bin/env bash
# Set up everything on a fresh Debian/Ubuntu machine: Apertium (the offline
# engine, English <-> Spanish, and its morphology), Hunspell (spelling) and a Python virtual environment in .venv with
# the project installed. Safe to run again. WITH_BROWSER=1 also installs
# Chromium, which one report test uses (it is skipped without it).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

packages=()
apertium -l 2>/dev/null | grep -qx eng-spa || packages+=(apertium apertium-eng-spa)
# spelling dictionaries: the review's non-word check and post-editing's no-harm gate
command -v hunspell >/dev/null && [ -f /usr/share/hunspell/es_ES.dic ] && [ -f /usr/share/hunspell/en_US.dic ] \
  || packages+=(hunspell hunspell-es hunspell-en-us)
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv python3-pip)
if [ "${WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null; then packages+=(chromium); fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
.venv/bin/python -m pip install -q -e '.[dev]'
echo "Ready: .venv/bin/translator --help"
