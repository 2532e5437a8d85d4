/* msturn_stats_peers.c - the peers table: `tshark -z msturn,peers` and
 * Statistics > MSTURN Peers in Wireshark, one row per peer of every TURN
 * relay allocation (RFC 8656): its permission and channel, what went
 * through the relay each way, the ICE checks inside, and its verdict.  Fed
 * by the "msturn" tap, as the sessions table is.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_stats.h"
#include "msturn_stats_table.h"
#include "msturn_verdict.h"

#define TABLE_NAME "MSTURN Peers"

enum {
    COL_SESSION, COL_PEER, COL_PERMISSION, COL_CHANNEL, COL_PKTS_TO, COL_BYTES_TO, COL_PKTS_FROM,
    COL_BYTES_FROM, COL_CHECKS_TO, COL_ANSWERS_FROM, COL_CHECKS_FROM, COL_ANSWERS_TO, COL_VERDICT,
    N_COLS
};

static stat_tap_table_item columns[N_COLS] = {
    /* padded as the sessions table's: the GUI draws its sort arrow there */
    { TABLE_ITEM_UINT,   TAP_ALIGN_LEFT,  "Session  ", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Peer", "%s" },
    /* the frame that installed it, or what answered instead */
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Permission", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Channel", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Packets to peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Bytes to peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Packets from peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Bytes from peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Checks to peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Answers from peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Checks from peer", "%u" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Answers to peer", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Verdict", "%s" },
};

/* A row per (session, peer): MSTURN_MAX_PEERS keys per session number. */
static unsigned
row_key(const msturn_session *s, unsigned peer)
{
    return s->number * MSTURN_MAX_PEERS + peer;
}

static void
peers_init(stat_tap_table_ui *ui)
{
    msturn_table_init(ui, TABLE_NAME, N_COLS);
}

static char *
permission_text(const msturn_permission *perm)
{
    if (perm == NULL)
        return g_strdup("");
    if (perm->ok_frame)
        return g_strdup_printf("%u", perm->ok_frame);
    if (perm->error)
        return g_strdup_printf("%u", perm->error);
    return g_strdup(perm->frame ? "no answer" : "");
}

static char *
channel_text(const msturn_peer *p)
{
    if (!p->chan_frame)
        return g_strdup("");
    if (p->chan_ok_frame)
        return g_strdup_printf("0x%04x", p->channel);
    if (p->chan_error)
        return g_strdup_printf("0x%04x: %u", p->channel, p->chan_error);
    return g_strdup_printf("0x%04x: no answer", p->channel);
}

static unsigned
clamp(uint64_t v)
{
    return v > G_MAXUINT ? G_MAXUINT : (unsigned)v;
}

static void
fill_row(stat_tap_table *t, unsigned row, const msturn_session *s, const msturn_peer *p,
         wmem_allocator_t *pool)
{
    char *text = msturn_peer_text(p, NULL);

    msturn_table_set_string(t, row, COL_PEER, g_strdup(text));
    wmem_free(NULL, text);
    msturn_table_set_string(t, row, COL_PERMISSION, permission_text(msturn_peer_permission(s, p)));
    msturn_table_set_string(t, row, COL_CHANNEL, channel_text(p));
    msturn_table_set_uint(t, row, COL_PKTS_TO, p->pkts[MSTURN_TO_PEER]);
    msturn_table_set_uint(t, row, COL_BYTES_TO, clamp(p->bytes[MSTURN_TO_PEER]));
    msturn_table_set_uint(t, row, COL_PKTS_FROM, p->pkts[MSTURN_FROM_PEER]);
    msturn_table_set_uint(t, row, COL_BYTES_FROM, clamp(p->bytes[MSTURN_FROM_PEER]));
    msturn_table_set_uint(t, row, COL_CHECKS_TO, p->checks[MSTURN_CHECK_REQ_TO_PEER]);
    msturn_table_set_uint(t, row, COL_ANSWERS_FROM, p->checks[MSTURN_CHECK_OK_FROM_PEER]);
    msturn_table_set_uint(t, row, COL_CHECKS_FROM, p->checks[MSTURN_CHECK_REQ_FROM_PEER]);
    msturn_table_set_uint(t, row, COL_ANSWERS_TO, p->checks[MSTURN_CHECK_OK_TO_PEER]);
    msturn_table_set_string(t, row, COL_VERDICT, g_strdup(msturn_peer_verdict(s, p, pool)));
}

/* Every frame of a session: the rows of its peers that changed since they
 * were last formatted (each peer's version, kept in its first cell). */
static tap_packet_status
peers_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
             tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    stat_tap_table *t = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    const msturn_session *s = (const msturn_session *)data;
    bool changed = false;
    unsigned i;

    for (i = 0; i < s->n_peers; i++) {
        const msturn_peer *p = &s->peers[i];
        unsigned row = msturn_table_row(t, row_key(s, i), columns, s->number);
        stat_tap_table_item_type *done = stat_tap_get_field_data(t, row, COL_SESSION);
        if (done->user_data.uint_value == p->version + 1)
            continue;
        fill_row(t, row, s, p, pinfo->pool);
        stat_tap_get_field_data(t, row, COL_SESSION)->user_data.uint_value = p->version + 1;
        changed = true;
    }
    return changed ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

void
msturn_stats_peers_register(void)
{
    static stat_tap_table_ui ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        TABLE_NAME,
        "msturn",
        "msturn,peers",
        peers_init,
        peers_packet,
        msturn_table_reset,
        msturn_table_free_item,
        NULL,
        N_COLS, columns,
        0, NULL,
        NULL,
        0
    };
    register_stat_tap_table_ui(&ui);
}
