/* msturn_sip_diag.h - pure readers of the SIP header values that say why a
 * dialog was refused or ended: ms-diagnostics and ms-diagnostics-public
 * ([MS-OCER] 2.2.1.1, 2.2.1.2), Reason (RFC 3326 2) and Warning
 * (RFC 3261 20.43).  No epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SIP_DIAG_H
#define MSTURN_SIP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSTURN_SIP_DIAG_TEXT 160    /* longest text kept of one parameter */

/* ErrorId;reason="...";source="...";other generic parameters. */
typedef struct {
    uint32_t id;
    char     reason[MSTURN_SIP_DIAG_TEXT];     /* "" when absent */
    char     source[MSTURN_SIP_DIAG_TEXT];     /* private form only ([MS-OCER] 2.2.1.1) */
    char     component[MSTURN_SIP_DIAG_TEXT];  /* a generic parameter servers add */
    char     params[MSTURN_SIP_DIAG_TEXT];     /* the other parameters, "name=value; ..." */
} msturn_sip_diag;

/* First value of a Reason header: protocol ("SIP", "Q.850"), cause, text. */
typedef struct {
    char     protocol[16];
    bool     has_cause;
    uint32_t cause;
    char     text[MSTURN_SIP_DIAG_TEXT];
} msturn_sip_reason;

/* First value of a Warning header: warn-code, warn-agent, warn-text. */
typedef struct {
    uint32_t code;
    char     agent[MSTURN_SIP_DIAG_TEXT];
    char     text[MSTURN_SIP_DIAG_TEXT];
} msturn_sip_warning;

/* Each returns true with *out filled when the value has the form its
 * specification gives (an ErrorId, a protocol, a 3-digit warn-code), false
 * otherwise; quoted strings come back without quotes and escapes. */
bool msturn_sip_diag_read(const char *value, msturn_sip_diag *out);
bool msturn_sip_reason_read(const char *value, msturn_sip_reason *out);
bool msturn_sip_warning_read(const char *value, msturn_sip_warning *out);

#endif
