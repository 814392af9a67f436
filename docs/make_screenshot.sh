#!/usr/bin/env bash
# Regenerate docs/kim.png, the README's screenshot of the seed map (needs Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
route map seeds/kim-train-to-hanoi.txt -o "$out/kim.html" --png docs/kim.png > /dev/null
rm -rf "$out"
