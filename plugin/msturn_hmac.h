/* msturn_hmac.h - MESSAGE-INTEGRITY verification against user credentials.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_HMAC_H
#define MSTURN_HMAC_H

#include "msturn.h"
#include "msturn_dialog.h"

/* Adds the "Credentials" table to msturn's preferences. */
void msturn_hmac_register(module_t *module);

/* Checks the HMAC whose attribute header is at attr_off in the message tvb:
 * HMAC-SHA256 when sha256 is set, HMAC-SHA1 otherwise; a value shorter than
 * the hash (RFC 8489 14.6 allows 16 to 32 bytes) is compared with the same
 * prefix of the HMAC.  Returns PROTO_CHECKSUM_E_GOOD or _BAD, or
 * _UNVERIFIED when no credentials apply. */
int msturn_hmac_check(tvbuff_t *msg, packet_info *pinfo, int attr_off, int mac_len, int sha256,
                      const msturn_msg_info *info);

/* The same against the ICE passwords the capture's SDP announced
 * (msturn_dialog.h), for a message the table could not check; used: the
 * password a request was checked against. */
int msturn_hmac_check_sdp(tvbuff_t *msg, packet_info *pinfo, int attr_off, int mac_len, int sha256,
                          const msturn_msg_info *info, msturn_ice_password *used);

#endif
