# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# An apt of its own below one folder (sourced, not run): its sources list,
# lists, cache and status file, so the machine's own apt state is never
# touched.  Used by tools/check-version.sh (a newer suite's -dev packages)
# and tools/wireshark-source.sh (the installed Wireshark's source package).
#
#   . tools/apt-private.sh
#   apt_private_init DIR [ARCH]   makes the folders; sets $aptopts
#   apt_get ARGS...               apt-get with those options
#   apt_cache ARGS...             apt-cache with those options
# The caller writes DIR/etc/sources.list (and sources.list.d/) itself.

apt_private_init() {
    _apt=$1
    mkdir -p "$_apt/etc/sources.list.d" "$_apt/etc/preferences.d" "$_apt/lists/partial" \
             "$_apt/cache/archives/partial" "$_apt/state"
    [ -f "$_apt/state/status" ] || : > "$_apt/state/status"
    # Every path apt would read or write is redirected below $_apt.
    aptopts="-o Dir::Etc::SourceList=$_apt/etc/sources.list
 -o Dir::Etc::SourceParts=$_apt/etc/sources.list.d
 -o Dir::Etc::Preferences=$_apt/etc/preferences
 -o Dir::Etc::PreferencesParts=$_apt/etc/preferences.d
 -o Dir::State=$_apt/state -o Dir::State::Lists=$_apt/lists
 -o Dir::State::status=$_apt/state/status -o Dir::Cache=$_apt/cache
 -o Acquire::Languages=none -o Acquire::Retries=3"
    if [ -n "${2:-}" ]; then
        aptopts="$aptopts -o APT::Architecture=$2 -o APT::Architectures::=$2"
    fi
    # apt drops to user _apt for downloads, which cannot write into a
    # root-owned work tree; as root download as root rather than print a
    # warning every time.
    if [ "$(id -u)" = 0 ]; then
        aptopts="$aptopts -o APT::Sandbox::User=root"
    fi
}

# shellcheck disable=SC2086
apt_get() { apt-get -q $aptopts "$@"; }
# shellcheck disable=SC2086
apt_cache() { apt-cache $aptopts "$@"; }
