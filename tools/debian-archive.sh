#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
# Prints the address of the Debian archive this machine installs its own
# release from, read from its apt sources (/etc/apt/sources.list,
# /etc/apt/sources.list.d/*.list and *.sources), e.g. http://host/debian.
#
#   tools/debian-archive.sh        (or sourced: . tools/debian-archive.sh;
#                                   then msturn_debian_archive)
#
# The archive is the first enabled "deb" source whose suites include the
# machine's own codename (VERSION_CODENAME of /etc/os-release), which leaves
# out the security and -updates archives.  MSTURN_DEBIAN_ARCHIVE overrides it.
# Exits 1 with a message on stderr when no such source is configured.
# MSTURN_APT_ETC (default /etc/apt) and MSTURN_OS_RELEASE (default
# /etc/os-release) name other files, for a check of the parser itself.

msturn_debian_archive() {
    if [ -n "${MSTURN_DEBIAN_ARCHIVE:-}" ]; then
        echo "$MSTURN_DEBIAN_ARCHIVE"
        return 0
    fi
    _etc=${MSTURN_APT_ETC:-/etc/apt}
    _osr=${MSTURN_OS_RELEASE:-/etc/os-release}
    _codename=$(sed -n 's/^VERSION_CODENAME=["]*\([^"]*\)["]*$/\1/p' "$_osr" 2>/dev/null | head -n1)
    if [ -z "$_codename" ]; then
        echo "no VERSION_CODENAME in $_osr: cannot tell which apt source is this machine's Debian archive" >&2
        return 1
    fi
    _uri=$(
        {
            # One-line format: deb [options] URI SUITE COMPONENT...
            for f in "$_etc/sources.list" "$_etc"/sources.list.d/*.list; do
                [ -f "$f" ] || continue
                sed 's/#.*//; s/\[[^]]*\]//' "$f" |
                    awk -v c="$_codename" '$1 == "deb" && $3 == c {print $2}'
            done
            # deb822 format: stanzas of Types/URIs/Suites/Enabled fields.
            for f in "$_etc"/sources.list.d/*.sources; do
                [ -f "$f" ] || continue
                awk -v c="$_codename" '
                    function flush() {
                        if (types ~ /(^| )deb( |$)/ && suites ~ ("(^| )" c "( |$)") && enabled !~ /^[Nn]o/) {
                            n = split(uris, u, " ")
                            for (i = 1; i <= n; i++) print u[i]
                        }
                        types = ""; uris = ""; suites = ""; enabled = ""
                    }
                    /^[ \t]*#/ { next }
                    /^[ \t]*$/ { flush(); next }
                    { line = $0; sub(/^[^:]*:[ \t]*/, "", line); key = tolower($1) }
                    key == "types:"   { types = line }
                    key == "uris:"    { uris = line }
                    key == "suites:"  { suites = line }
                    key == "enabled:" { enabled = line }
                    END { flush() }' "$f"
            done
        } | head -n1)
    if [ -z "$_uri" ]; then
        echo "no apt source for Debian $_codename in $_etc (sources.list, sources.list.d/*.list, *.sources): cannot tell where Debian's archive is" >&2
        return 1
    fi
    echo "${_uri%/}"
}

# Run as a program rather than sourced: print the address.
case "${0##*/}" in
    debian-archive.sh) msturn_debian_archive ;;
esac
