/* msturn_tcp.h - the per-frame entry points: the TCP port dissector and
 * heuristic, the UDP dissector and heuristic, the shared ports they
 * hand back, and what TLS and DTLS decrypted (msturn_tcp.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_TCP_H
#define MSTURN_TCP_H

#include "msturn.h"

void msturn_tcp_register(int proto, module_t *module);
void msturn_tcp_handoff(void);
/* Apply the msturn.tcp.shared_ports and msturn.udp preferences. */
void msturn_tcp_apply_prefs(void);

/* What TLS and DTLS decrypted (msturn_tls.c), dissected on the TCP
 * connection's or UDP flow's state without claiming it: the byte stream of
 * a TLS connection, one datagram of a DTLS flow.  0 when it is not msturn's. */
int msturn_tcp_dissect_decrypted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);
int msturn_udp_dissect_decrypted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);

#endif
