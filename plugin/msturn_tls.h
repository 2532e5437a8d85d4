/* msturn_tls.h - STUN and TURN inside the TLS and DTLS that Wireshark
 * decrypts: the TURNS port and the heuristics on the application data
 * (msturn_tls.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_TLS_H
#define MSTURN_TLS_H

#include "msturn.h"

void msturn_tls_register(int proto);
void msturn_tls_handoff(void);

#endif
