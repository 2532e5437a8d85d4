/* msturn_stats.h - the sessions statistics table.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_STATS_H
#define MSTURN_STATS_H

void msturn_stats_register(void);

#endif
