/* msturn_stats.h - the statistics tables: sessions and peers.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_STATS_H
#define MSTURN_STATS_H

void msturn_stats_register(void);
/* The peers table of TURN relays (msturn_stats_peers.c). */
void msturn_stats_peers_register(void);

#endif
