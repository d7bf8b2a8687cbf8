#!/usr/bin/env bash
# Regenerates the demo's voices (customer.wav, agent.wav, supervisor.wav) in this directory:
# synthetic speech from espeak-ng, made 8 kHz mono 16-bit by sox, normalised to -6 dBFS, with
# 0.6 s of silence at the end so the loop has a pause; sox runs in repeatable mode (-R, a fixed
# dither seed), so every run writes the same bytes. Needs espeak-ng and sox (apt-get install
# espeak-ng sox); callsup itself does not: the WAVs are committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {  # say NAME VOICE SPEED TEXT
  espeak-ng -v "$2" -s "$3" -w "$tmp/$1.raw.wav" "$4"
  sox -R "$tmp/$1.raw.wav" -r 8000 -c 1 -b 16 "$1.wav" norm -6 pad 0 0.6
}

say customer en-us+f3 150 "Hello? I am calling about my order. It still has not arrived, and I would like to know where it is."
say agent en-gb+m3 155 "Thank you for calling Acme support. Let me look up your order. One moment, please."
say supervisor en-us+m7 145 "This is your supervisor. Offer the customer free express shipping, and apologise for the delay."
