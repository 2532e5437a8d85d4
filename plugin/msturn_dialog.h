/* msturn_dialog.h - SIP dialogs of presentations (RFC 3261 12) as Wireshark's
 * SIP and SDP dissectors showed them: per Call-ID the m=applicationsharing
 * offers and answers, their ICE credentials and candidates, and the
 * session they belong to.  File scope, bounded; calls nothing above it.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_DIALOG_H
#define MSTURN_DIALOG_H

#include "msturn.h"
#include "msturn_sdp.h"

#define MSTURN_MAX_DIALOGS    4096  /* dialogs followed per file */
#define MSTURN_MAX_SDPS          8  /* offers and answers kept per dialog */
#define MSTURN_MAX_CANDIDATES   16  /* candidates kept per offer or answer */
#define MSTURN_MAX_CREDENTIALS 8192 /* ICE username fragments kept per file */

struct msturn_session;

typedef struct {
    address          addr;
    uint16_t         port;
    msturn_cand_type type;
    int              has_related;
    address          raddr;
    uint16_t         rport;
} msturn_sdp_candidate_t;

/* One m=applicationsharing description in an offer or answer. */
typedef struct msturn_sdp_t {
    uint32_t  frame;
    address   sender;                /* the IP that sent the SIP message */
    char     *ufrag;                 /* file scope, or NULL */
    char     *pwd;
    unsigned  n_cands;
    unsigned  cands_dropped;
    msturn_sdp_candidate_t cands[MSTURN_MAX_CANDIDATES];
} msturn_sdp;

/* How a dialog went, as its requests and final responses tell (RFC 3261
 * 13.2.2.4 answered and 17.1.1.3 refused, 9 CANCEL, 15.1 BYE; [MS-OCER]
 * 2.2.1 for the diagnostics that servers add to them).  The values are
 * those of msturn.sip.outcome. */
typedef enum {
    MSTURN_OUTCOME_NO_ANSWER = 0,     /* no final response to the INVITE (yet) */
    MSTURN_OUTCOME_ANSWERED,          /* 2xx and its ACK */
    MSTURN_OUTCOME_NO_ACK,            /* 2xx, never acknowledged */
    MSTURN_OUTCOME_REFUSED,           /* 3xx-6xx to the INVITE */
    MSTURN_OUTCOME_CANCELLED,         /* CANCEL before a 2xx */
    MSTURN_OUTCOME_REINVITE_REFUSED,  /* answered; a later re-INVITE refused */
    MSTURN_OUTCOME_BYE                /* answered, then ended by BYE */
} msturn_dialog_outcome;

typedef struct msturn_dialog {
    char     *call_id;
    uint32_t  invite_frame;          /* first INVITE */
    uint32_t  invite_cseq;
    uint32_t  reinvite_frame;        /* first INVITE with a higher CSeq */
    bool      presentation;          /* an offer or answer had m=applicationsharing */
    address   caller;                /* who sent the first INVITE (file scope) */
    uint16_t  caller_port;
    nstime_t  invite_ts;
    unsigned  answer_status;         /* first final response to the first INVITE */
    uint32_t  answer_frame;
    char     *answer_phrase;         /* its Reason-Phrase (file scope) */
    uint32_t  ack_frame;             /* ACK of a 2xx */
    uint32_t  cancel_frame;          /* CANCEL of the first INVITE */
    uint32_t  reinvite_cseq;         /* the latest re-INVITE */
    unsigned  reinvite_status;       /* its final response, 0 before one */
    char     *reinvite_phrase;
    uint32_t  bye_frame;
    bool      bye_diag;              /* the BYE carried ms-diagnostics(-public) */
    /* What the messages said about why ("ms-diagnostics 21002 ...",
     * "Reason SIP 480 ...", "Warning 399 ..."), file scope or NULL: of the
     * refusal or the CANCEL, of the re-INVITE's refusal, of the BYE. */
    char     *why;
    char     *reinvite_why;
    char     *bye_why;
    unsigned  n_sdps;
    msturn_sdp sdps[MSTURN_MAX_SDPS];
    struct msturn_session *session;  /* the presentation session it is linked to */
} msturn_dialog;

/* Where an ICE password came from, for expert texts. */
typedef struct {
    const char          *password;
    const msturn_dialog *dialog;
    const msturn_sdp    *sdp;
} msturn_ice_password;

void msturn_dialog_init(void);

/* The dialog of a Call-ID; create: make it (NULL beyond MSTURN_MAX_DIALOGS). */
msturn_dialog *msturn_dialog_get(const char *call_id, int create);

/* Keep one SDP description (copied); NULL when the dialog keeps no more. */
msturn_sdp *msturn_dialog_add_sdp(msturn_dialog *d, const msturn_sdp *sdp);

/* The dialog one of whose candidates (or a relay candidate's related
 * address) is that endpoint, or NULL. */
msturn_dialog *msturn_dialog_by_candidate(const address *a, uint16_t port);

/* The ICE password announced for a username fragment; 0 if none. */
int      msturn_dialog_password(const char *ufrag, msturn_ice_password *out);
/* Call fn for every announced password (MESSAGE-INTEGRITY of responses,
 * which name no user); stops when fn returns non-zero and returns that. */
int      msturn_dialog_each_password(int (*fn)(const msturn_ice_password *p, void *data), void *data);
unsigned msturn_dialog_credentials_dropped(void);

/* How the dialog went so far; does its signalling explain a failure
 * (refused, cancelled, re-INVITE refused, BYE with diagnostics)? */
msturn_dialog_outcome msturn_dialog_outcome_of(const msturn_dialog *d);
bool msturn_dialog_failed(const msturn_dialog *d);

/* Was this ufrag announced in the dialog? */
int msturn_dialog_announced(const msturn_dialog *d, const char *ufrag, size_t len);

#endif
