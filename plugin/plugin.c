/* plugin.c - the symbols Wireshark's plugin loader looks for
 * (doc/README.plugins).  Written by hand: the in-tree generator is not
 * installed with Wireshark's development packages.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn.h"
#include "packet-msturn.h"

#include <ws_symbol_export.h>

WS_DLL_PUBLIC_DEF const char plugin_version[] = MSTURN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if MSTURN_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_msturn;
    plug.register_handoff = proto_reg_handoff_msturn;
    proto_register_plugin(&plug);
}
