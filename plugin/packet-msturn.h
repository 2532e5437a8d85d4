/* packet-msturn.h - the protocol's registration, called by the plugin
 * loader (plugin.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_MSTURN_H
#define PACKET_MSTURN_H

void proto_register_msturn(void);
void proto_reg_handoff_msturn(void);

#endif
