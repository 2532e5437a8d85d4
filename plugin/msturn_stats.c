/* msturn_stats.c - the sessions table: `tshark -z msturn,sessions` and
 * Statistics > MSTURN Sessions in Wireshark, one row per presentation
 * session, fed by the "msturn" tap (one tap record per frame of a session).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_stats.h"
#include "msturn_session.h"
#include "msturn_verdict.h"
#include "msturn_dialog.h"

#include "msturn_stats_table.h"

#define TABLE_NAME "MSTURN Sessions"

enum {
    COL_SESSION, COL_CLIENT, COL_SERVER, COL_RELAYED, COL_PEERS, COL_ALLOCATE,
    COL_ATTEMPT, COL_BIND, COL_DURATION, COL_VERDICT, COL_KIND, COL_LINKED, COL_PATH, COL_CALL_ID, N_COLS
};

static stat_tap_table_item columns[N_COLS] = {
    /* Left-aligned, and two spaces after the name: Wireshark's Qt dialog
     * sizes the column to its text and then draws the sort arrow over the
     * end of it (over the first letters when right-aligned) */
    { TABLE_ITEM_UINT,   TAP_ALIGN_LEFT,  "Session  ", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Client", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "TURN server", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Relayed", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Peers", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Allocate", "%u" },
    /* frame numbers, aligned as the Allocate frame is */
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "ConnectionAttempt", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "ConnectionBind", "%s" },
    /* microseconds, as capture timestamps and as the GUI shows a float */
    { TABLE_ITEM_FLOAT,  TAP_ALIGN_RIGHT, "Duration (s)", "%.6f" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Verdict", "%s" },
    /* after the contract's columns, which keep their places */
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Kind", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Linked", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Path verdict", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Call-ID", "%s" },
};

/* Frames of the links' announcements or binds, "2526, 2601". */
static char *
link_frames(const msturn_session *s, int binds)
{
    GString *g = g_string_new("");
    unsigned i;
    for (i = 0; i < s->n_links; i++) {
        uint32_t f = binds ? s->links[i].bind_frame
                           : (s->links[i].attempt_frame ? s->links[i].attempt_frame
                                                        : s->links[i].connect_frame);
        if (f)
            g_string_append_printf(g, "%s%u", g->len ? ", " : "", f);
    }
    return g_string_free(g, false);
}

static char *
peers_text(const msturn_session *s)
{
    GString *g = g_string_new("");
    unsigned i;
    /* a TURN relay's peers are addresses with permissions, not connections */
    for (i = 0; i < s->n_peers; i++) {
        char *t = msturn_peer_text(&s->peers[i], NULL);
        g_string_append_printf(g, "%s%s", g->len ? ", " : "", t);
        wmem_free(NULL, t);
    }
    if (s->peers_dropped)
        g_string_append_printf(g, " (+%u more)", s->peers_dropped);
    for (i = 0; i < s->n_links; i++) {
        if (!s->links[i].has_peer)
            continue;
        char *t = msturn_endpoint_text(&s->links[i].peer);
        g_string_append_printf(g, "%s%s", g->len ? ", " : "", t);
        g_free(t);
    }
    if (s->links_dropped)
        g_string_append_printf(g, " (+%u more)", s->links_dropped);
    return g_string_free(g, false);
}

/* Sessions on the other TURN server of the same path, "2, 5". */
static char *
linked_text(const msturn_session *s)
{
    GString *g = g_string_new("");
    unsigned i;
    for (i = 0; i < s->n_linked; i++)
        g_string_append_printf(g, "%s%u", i ? ", " : "", s->linked[i]->number);
    return g_string_free(g, false);
}

/* The relayed address, and an [MS-TURN] allocation's IPv6 one after it. */
static char *
relayed_text(const msturn_session *s)
{
    char *v4, *v6, *t;
    if (!s->has_relayed)
        return g_strdup("");
    v4 = msturn_endpoint_text(&s->relayed);
    if (!s->has_relayed6)
        return v4;
    v6 = msturn_endpoint_text(&s->relayed6);
    t = g_strdup_printf("%s, %s", v4, v6);
    g_free(v4);
    g_free(v6);
    return t;
}

/* Called for every (re)tap: a dialog that applies its display filter again
 * gets its one table back, emptied, as Wireshark's own stat tables do. */
static void
sessions_init(stat_tap_table_ui *ui)
{
    msturn_table_init(ui, TABLE_NAME, N_COLS);
}

static void fill_row(stat_tap_table *t, unsigned row, const msturn_session *s, wmem_allocator_t *pool);

static tap_packet_status
sessions_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    stat_tap_table *t = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    const msturn_session *s = (const msturn_session *)data;
    unsigned i;

    fill_row(t, msturn_table_row(t, s->number, columns, s->number), s, pinfo->pool);
    /* A linked session's path verdict moves with this one: refresh its row
     * too, if this table has one. */
    for (i = 0; i < s->n_linked; i++) {
        int row = msturn_table_find(t, s->linked[i]->number);
        if (row >= 0)
            fill_row(t, (unsigned)row, s->linked[i], pinfo->pool);
    }
    return TAP_PACKET_REDRAW;
}

static void
fill_row(stat_tap_table *t, unsigned row, const msturn_session *s, wmem_allocator_t *pool)
{
    stat_tap_table_item_type *done = stat_tap_get_field_data(t, row, COL_SESSION);
    uint32_t stamp = msturn_session_stamp(s) + 1;
    nstime_t dur;
    const char *path;

    /* The duration moves with every frame; the rest only when the session
     * changed (msturn_session.c bumps its version), so a row is formatted
     * once per change, not once per frame.  Taps run after a frame is
     * marked visited, so the pass cannot tell whether a row is final. */
    nstime_delta(&dur, &s->last_ts, &s->first_ts);
    msturn_table_set_float(t, row, COL_DURATION, nstime_to_sec(&dur));
    if (done->user_data.uint_value == stamp)
        return;

    msturn_table_set_string(t, row, COL_CLIENT, msturn_endpoint_text(&s->client));
    msturn_table_set_string(t, row, COL_SERVER, msturn_endpoint_text(&s->server));
    msturn_table_set_string(t, row, COL_RELAYED, relayed_text(s));
    msturn_table_set_string(t, row, COL_PEERS, peers_text(s));
    msturn_table_set_uint(t, row, COL_ALLOCATE, s->allocate_frame);
    msturn_table_set_string(t, row, COL_ATTEMPT, link_frames(s, 0));
    msturn_table_set_string(t, row, COL_BIND, link_frames(s, 1));
    /* In pinfo's pool: a verdict with a code is formatted, and a NULL pool
     * would leave it to no one to free (one per tapped frame). */
    msturn_table_set_string(t, row, COL_VERDICT, g_strdup(msturn_session_verdict(s, pool)));
    msturn_table_set_string(t, row, COL_KIND, g_strdup(msturn_session_kind_name(msturn_session_kind_of(s))));
    msturn_table_set_string(t, row, COL_LINKED, linked_text(s));
    path = msturn_session_path_verdict(s, pool, false);   /* the short form: a column */
    msturn_table_set_string(t, row, COL_PATH, g_strdup(path ? path : ""));
    msturn_table_set_string(t, row, COL_CALL_ID, g_strdup(s->dialog ? s->dialog->call_id : ""));
    stat_tap_get_field_data(t, row, COL_SESSION)->user_data.uint_value = stamp;
}

void
msturn_stats_register(void)
{
    static stat_tap_table_ui ui = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED,
        TABLE_NAME,
        "msturn",
        "msturn,sessions",
        sessions_init,
        sessions_packet,
        msturn_table_reset,
        msturn_table_free_item,
        NULL,
        N_COLS, columns,
        0, NULL,
        NULL,
        0
    };
    register_stat_tap_table_ui(&ui);
    register_cleanup_routine(msturn_table_cleanup);
}
