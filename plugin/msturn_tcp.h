/* msturn_tcp.h - the per-frame entry points: the TCP port dissector and
 * heuristic, the UDP dissector and heuristic, and the shared ports they
 * hand back (msturn_tcp.c).
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

#endif
