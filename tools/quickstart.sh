#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# One command from a fresh Debian machine to msturn decoding the seed's
# presentation session: install what is missing, build, install the plugin,
# and show the bundled capture through tshark.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MSTURN_BUILD:-$top/build}

"$top/tools/deps.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"
cmake --install "$build"

echo
echo "== test-captures/seed_session.pcapng through tshark with msturn =="
tshark -2 -r "$top/test-captures/seed_session.pcapng" -Y msturn

echo
echo "== its presentation session (tshark -2 -q -z msturn,sessions) =="
tshark -2 -q -z msturn,sessions -r "$top/test-captures/seed_session.pcapng"
