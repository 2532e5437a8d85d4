/* msturn_view.c - what will look at a frame.  tshark -2 -q -z msturn,sessions,
 * for one, dissects every frame twice with no tree and no columns: relayed
 * media handed to RTP there would cost time and show nothing.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_view.h"

#include <epan/tap.h>

/* A tap's id, looked up the first time (taps are registered by then). */
static int
tap_listened(int *id, const char *name)
{
    if (*id == -1)
        *id = find_tap_id(name);
    return *id > 0 && have_tap_listener(*id);
}

int
msturn_expert_listened(void)
{
    static int expert_tap = -1;
    return tap_listened(&expert_tap, "expert");
}

int
msturn_media_wanted(const packet_info *pinfo, const proto_tree *tree)
{
    static int rtp_tap = -1, rtcp_tap = -1;

    return tree != NULL || pinfo->cinfo != NULL || msturn_expert_listened() ||
           tap_listened(&rtp_tap, "rtp") || tap_listened(&rtcp_tap, "rtcp");
}
