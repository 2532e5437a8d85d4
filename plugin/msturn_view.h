/* msturn_view.h - will anything look at what a frame would show?  A tree, the
 * columns, a tap: work whose only product is display is skipped when nothing
 * reads it (msturn_view.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_VIEW_H
#define MSTURN_VIEW_H

#include "msturn.h"

/* Is the expert tap listened to (tshark -z expert, the GUI's Expert Info)? */
int msturn_expert_listened(void);

/* Would the relayed RTP or RTCP in this frame be seen if handed to those
 * dissectors: a tree (shown, or primed by a filter), the columns, expert
 * infos or the RTP and RTCP taps (RTP Streams, the player). */
int msturn_media_wanted(const packet_info *pinfo, const proto_tree *tree);

#endif
