/* packet-msturn.c - protocol registration and handoff: the top of the
 * plugin, which calls every layer's registration and nothing else.
 *
 * msturn owns STUN, TURN and Microsoft's MS-TURN carried over TCP: on the
 * TURN port (3478 by default), through a TCP heuristic on any port, and on
 * ports shared with other protocols (80, 443) where it takes only what is
 * STUN and passes everything else to the dissector that owns the port
 * (msturn_tcp.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-msturn.h"
#include "msturn.h"
#include "msturn_tcp.h"
#include "msturn_tls.h"
#include "msturn_message.h"
#include "msturn_attrs.h"
#include "msturn_session.h"
#include "msturn_sip.h"
#include "msturn_hmac.h"
#include "msturn_stats.h"
#include "msturn_post.h"

void
proto_register_msturn(void)
{
    module_t *m;

    proto_msturn = proto_register_protocol("MS-TURN / STUN / TURN over TCP", "MSTURN", "msturn");
    m = prefs_register_protocol(proto_msturn, proto_reg_handoff_msturn);

    msturn_tcp_register(proto_msturn, m);
    msturn_tls_register(proto_msturn);
    msturn_message_register(proto_msturn);
    msturn_attrs_register(proto_msturn);
    msturn_session_register(proto_msturn, m);
    msturn_stats_register();
    msturn_stats_peers_register();
    msturn_hmac_register(m);
    msturn_sip_register(proto_msturn, m);
    msturn_post_register(proto_msturn);
}

void
proto_reg_handoff_msturn(void)
{
    static bool initialized = false;

    if (!initialized) {
        msturn_tcp_handoff();
        msturn_tls_handoff();
        initialized = true;
    }
    msturn_sip_handoff();
    msturn_tcp_apply_prefs();
}
