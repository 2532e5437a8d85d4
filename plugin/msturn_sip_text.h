/* msturn_sip_text.h - pure reader of the SIP messages (RFC 3261 7) in a
 * buffer of bytes: where each complete message lies, the few header values
 * msturn follows (Call-ID, CSeq, Content-Length, Content-Type, and the
 * headers that say why a dialog failed: ms-diagnostics, Reason, Warning),
 * and the SDP lines (RFC 8866 5) of its body.  No epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SIP_TEXT_H
#define MSTURN_SIP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define MSTURN_SIP_CALL_ID_MAX 256      /* longest Call-ID kept (longer ones are cut) */
#define MSTURN_SIP_METHOD_MAX   24
#define MSTURN_SIP_PHRASE_MAX   64      /* Reason-Phrase kept (RFC 3261 7.2) */
#define MSTURN_SIP_VALUE_MAX   256      /* value kept of a header msturn explains with */

typedef struct {
    int      is_request;
    char     method[MSTURN_SIP_METHOD_MAX];  /* request method, "" for a response */
    unsigned status;                         /* response status code, 0 for a request */
    char     call_id[MSTURN_SIP_CALL_ID_MAX];
    int      has_cseq;
    uint32_t cseq;                           /* CSeq sequence number */
    char     cseq_method[MSTURN_SIP_METHOD_MAX]; /* CSeq method: what a response answers */
    char     phrase[MSTURN_SIP_PHRASE_MAX];  /* a response's Reason-Phrase */
    /* Why a request or response ended or refused a dialog, as written (the
     * first of each header; longer values are cut): [MS-OCER] 2.2.1.1
     * ms-diagnostics, 2.2.1.2 ms-diagnostics-public, RFC 3326 Reason,
     * RFC 3261 20.43 Warning.  "" when absent. */
    char     diag[MSTURN_SIP_VALUE_MAX];
    char     diag_public[MSTURN_SIP_VALUE_MAX];
    char     reason[MSTURN_SIP_VALUE_MAX];
    char     warning[MSTURN_SIP_VALUE_MAX];
    int      sdp;                            /* the body is SDP, or multipart holding SDP */
    size_t   start;                          /* the start line, in the buffer */
    size_t   body;                           /* the body: offset and length */
    size_t   body_len;
    size_t   end;                            /* first byte after the message */
} msturn_sip_msg;

/* The next complete SIP message whose start line begins at or after *pos,
 * at the start of a line: 1 with *m filled and *pos moved past it; 0 when
 * none is complete in the buffer (its headers or its Content-Length of
 * body not all there).  A message without Content-Length (a datagram,
 * RFC 3261 18.3) takes the rest of the buffer. */
int msturn_sip_next(const uint8_t *buf, size_t len, size_t *pos, msturn_sip_msg *m);

/* One line of an SDP body at a time: *pos moves past it.  1 with its type
 * letter ('v', 'm', 'a' ...) and value (after "x=", without the line end);
 * 0 at the end.  Lines of another form (multipart boundaries and part
 * headers) come back with type 0. */
int msturn_sdp_line(const char *body, size_t len, size_t *pos, char *type,
                    const char **value, size_t *value_len);

#endif
