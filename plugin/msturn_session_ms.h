/* msturn_session_ms.h - [MS-TURN] allocations in the session model.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SESSION_MS_H
#define MSTURN_SESSION_MS_H

#include "msturn_session_model.h"

/* A message on the control connection of an [MS-TURN] session, first pass
 * only; from_client: sent by the allocation's client. */
void msturn_ms_update(packet_info *pinfo, msturn_session *s, int from_client,
                      const msturn_msg_info *m);

#endif
