/* msturn_sip_outcome.h - how a presentation's SIP dialog went: answered,
 * refused, cancelled, re-INVITE refused, ended by BYE, and what the
 * messages said about why (ms-diagnostics, Reason, Warning), as fields and
 * expert items on the SIP frames.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SIP_OUTCOME_H
#define MSTURN_SIP_OUTCOME_H

#include "msturn.h"
#include "msturn_dialog.h"
#include "msturn_sip_text.h"

void msturn_sip_outcome_register(int proto);

/* First pass: what one SIP message of dialog d tells about its outcome.  A
 * presentation dialog that failed with no session tied to it gets a session
 * of its own (kind "SIP signalling only"). */
void msturn_sip_outcome_note(packet_info *pinfo, msturn_dialog *d, const msturn_sip_msg *m);

/* Every pass: the outcome fields of one message of a presentation dialog,
 * and its expert item when it refused, cancelled or ended the dialog or
 * carries diagnostics. */
void msturn_sip_outcome_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                             const msturn_dialog *d, const msturn_sip_msg *m);

#endif
