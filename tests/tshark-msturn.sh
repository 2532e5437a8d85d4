#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Runs tshark with the freshly built msturn plugin loaded.
#
# Wireshark ignores personal plugins when its real uid is 0, so as root this
# runs tshark as the unprivileged user "nobody" with a private HOME whose
# personal plugin folder holds the plugin.  As any other user it uses a private
# HOME the same way.  Every argument is passed to tshark.
#
# Environment: MSTURN_PLUGIN (required) path of the built msturn.so
#              MSTURN_WS_MAJOR_MINOR (required) e.g. 4.0
#              MSTURN_READ_IN_PLACE=1: read -r files where they are (they must
#                be readable by nobody), e.g. large benchmark captures
#              MSTURN_PROFILE_DIR: a configuration profile folder, copied
#                into the private HOME (tshark -C <folder name>)
#              MSTURN_TSHARK_WRAPPER: command words put before tshark, e.g.
#                "/usr/bin/time -o FILE -f %e,%M" (tools/bench.sh)
set -eu
: "${MSTURN_PLUGIN:?path to msturn.so}"
: "${MSTURN_WS_MAJOR_MINOR:?Wireshark major.minor}"

prev=
home=$(mktemp -d "${TMPDIR:-/tmp}/msturn-home.XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM
mkdir -p "$home/.local/lib/wireshark/plugins/$MSTURN_WS_MAJOR_MINOR/epan"
# An msturn.so installed system-wide (tools/quickstart.sh as root) would be
# loaded beside the one under test: point the system plugin folder, which
# Wireshark takes from WIRESHARK_PLUGIN_DIR for unprivileged users, at an
# empty folder so only the built plugin is loaded.
mkdir -p "$home/no-system-plugins"
cp "$MSTURN_PLUGIN" "$home/.local/lib/wireshark/plugins/$MSTURN_WS_MAJOR_MINOR/epan/msturn.so"
# MSTURN_PROFILE_DIR: a configuration profile folder to offer as -C <its name>.
if [ -n "${MSTURN_PROFILE_DIR:-}" ]; then
    mkdir -p "$home/.config/wireshark/profiles"
    cp -r "$MSTURN_PROFILE_DIR" "$home/.config/wireshark/profiles/"
fi

# The capture is copied into the private HOME: the unprivileged user may not
# be able to read the checkout (e.g. below /root).
n=0
for a in "$@"; do
    n=$((n + 1))
    if [ "$prev" = "-r" ] && [ "$a" != "-" ] && [ -z "${MSTURN_READ_IN_PLACE:-}" ]; then
        cp "$a" "$home/input.$n"
        set -- "$@" "$home/input.$n"
    else
        set -- "$@" "$a"
    fi
    prev=$a
done
shift "$n"

if [ "$(id -u)" = 0 ]; then
    chown -R nobody "$home"
    chmod -R a+rX "$home"
    runuser -u nobody -- env HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        WIRESHARK_ABORT_ON_DISSECTOR_BUG="${WIRESHARK_ABORT_ON_DISSECTOR_BUG:-1}" \
        WIRESHARK_PLUGIN_DIR="$home/no-system-plugins" \
        ${MSTURN_TSHARK_WRAPPER:-} tshark "$@"
else
    env HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        WIRESHARK_ABORT_ON_DISSECTOR_BUG="${WIRESHARK_ABORT_ON_DISSECTOR_BUG:-1}" \
        WIRESHARK_PLUGIN_DIR="$home/no-system-plugins" \
        ${MSTURN_TSHARK_WRAPPER:-} tshark "$@"
fi
