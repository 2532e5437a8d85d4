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

#include <epan/stat_tap_ui.h>
#include <epan/to_str.h>

#define TABLE_NAME "MSTURN Sessions"

/* Each table's rows by session number: a filtered table (-z
 * msturn,sessions,FILTER or the dialog's filter) holds only the sessions
 * whose frames matched, in the order they first did.  Rows name sessions of
 * the open file, so the maps live in file scope and go with it. */
static wmem_map_t *rows_by_table;   /* stat_tap_table * -> wmem_map (number -> row + 1) */

static void
rows_cleanup(void)
{
    rows_by_table = NULL;           /* freed with the file scope */
}

/* The table is emptied or freed: its rows are forgotten. */
static void
forget_rows(stat_tap_table *t)
{
    if (rows_by_table != NULL)
        wmem_map_remove(rows_by_table, t);
}

static wmem_map_t *
rows_of(stat_tap_table *t)
{
    wmem_map_t *m;
    if (rows_by_table == NULL)
        rows_by_table = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    m = (wmem_map_t *)wmem_map_lookup(rows_by_table, t);
    if (m == NULL) {
        m = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
        wmem_map_insert(rows_by_table, t, m);
    }
    return m;
}

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

static char *
endpoint_text(const msturn_endpoint *e)
{
    char *a;
    if (e->addr.type == AT_NONE)    /* a signalling-only row has no TURN server */
        return g_strdup("");
    a = address_to_str(NULL, &e->addr);
    char *t = e->addr.type == AT_IPv6 ? g_strdup_printf("[%s]:%u", a, e->port)
                                      : g_strdup_printf("%s:%u", a, e->port);
    wmem_free(NULL, a);
    return t;
}

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
    for (i = 0; i < s->n_links; i++) {
        if (!s->links[i].has_peer)
            continue;
        char *t = endpoint_text(&s->links[i].peer);
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
    v4 = endpoint_text(&s->relayed);
    if (!s->has_relayed6)
        return v4;
    v6 = endpoint_text(&s->relayed6);
    t = g_strdup_printf("%s, %s", v4, v6);
    g_free(v4);
    g_free(v6);
    return t;
}

static void
set_string(stat_tap_table *t, unsigned row, unsigned col, char *owned)
{
    stat_tap_table_item_type *old = stat_tap_get_field_data(t, row, col);
    stat_tap_table_item_type v;

    if (old && old->type == TABLE_ITEM_STRING)
        g_free((char *)old->value.string_value);
    v.type = TABLE_ITEM_STRING;
    v.value.string_value = owned;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

static void
set_uint(stat_tap_table *t, unsigned row, unsigned col, unsigned val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_UINT;
    v.value.uint_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

static void
set_float(stat_tap_table *t, unsigned row, unsigned col, double val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_FLOAT;
    v.value.float_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

/* Called for every (re)tap: a dialog that applies its display filter again
 * gets its one table back, emptied, as Wireshark's own stat tables do. */
static void
sessions_init(stat_tap_table_ui *ui)
{
    stat_tap_table *t = stat_tap_find_table(ui, TABLE_NAME);

    if (t != NULL) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(t);
        return;
    }
    t = stat_tap_init_table(TABLE_NAME, N_COLS, 0, NULL);
    stat_tap_add_table(ui, t);
}

static unsigned
session_row(stat_tap_table *t, const msturn_session *s)
{
    wmem_map_t *rows = rows_of(t);
    unsigned row = GPOINTER_TO_UINT(wmem_map_lookup(rows, GUINT_TO_POINTER(s->number)));
    stat_tap_table_item_type blank[N_COLS];
    unsigned i;

    if (row)
        return row - 1;
    memset(blank, 0, sizeof blank);
    for (i = 0; i < N_COLS; i++) {
        blank[i].type = columns[i].type;
        if (columns[i].type == TABLE_ITEM_STRING)
            blank[i].value.string_value = g_strdup("");
    }
    blank[COL_SESSION].value.uint_value = s->number;
    row = t->num_elements;
    stat_tap_init_table_row(t, row, N_COLS, blank);
    wmem_map_insert(rows, GUINT_TO_POINTER(s->number), GUINT_TO_POINTER(row + 1));
    return row;
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

    fill_row(t, session_row(t, s), s, pinfo->pool);
    /* A linked session's path verdict moves with this one: refresh its row
     * too, if this table has one. */
    for (i = 0; i < s->n_linked; i++) {
        wmem_map_t *rows = rows_of(t);
        unsigned row = GPOINTER_TO_UINT(wmem_map_lookup(rows, GUINT_TO_POINTER(s->linked[i]->number)));
        if (row)
            fill_row(t, row - 1, s->linked[i], pinfo->pool);
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
    set_float(t, row, COL_DURATION, nstime_to_sec(&dur));
    if (done->user_data.uint_value == stamp)
        return;

    set_string(t, row, COL_CLIENT, endpoint_text(&s->client));
    set_string(t, row, COL_SERVER, endpoint_text(&s->server));
    set_string(t, row, COL_RELAYED, relayed_text(s));
    set_string(t, row, COL_PEERS, peers_text(s));
    set_uint(t, row, COL_ALLOCATE, s->allocate_frame);
    set_string(t, row, COL_ATTEMPT, link_frames(s, 0));
    set_string(t, row, COL_BIND, link_frames(s, 1));
    /* In pinfo's pool: a verdict with a code is formatted, and a NULL pool
     * would leave it to no one to free (one per tapped frame). */
    set_string(t, row, COL_VERDICT, g_strdup(msturn_session_verdict(s, pool)));
    set_string(t, row, COL_KIND, g_strdup(msturn_session_kind_name(msturn_session_kind_of(s))));
    set_string(t, row, COL_LINKED, linked_text(s));
    path = msturn_session_path_verdict(s, pool, false);   /* the short form: a column */
    set_string(t, row, COL_PATH, g_strdup(path ? path : ""));
    set_string(t, row, COL_CALL_ID, g_strdup(s->dialog ? s->dialog->call_id : ""));
    stat_tap_get_field_data(t, row, COL_SESSION)->user_data.uint_value = stamp;
}

static void
sessions_reset(stat_tap_table *t)
{
    unsigned row, col;
    for (row = 0; row < t->num_elements; row++)
        for (col = 0; col < N_COLS; col++) {
            stat_tap_table_item_type *v = stat_tap_get_field_data(t, row, col);
            if (v->type == TABLE_ITEM_STRING) {
                g_free((char *)v->value.string_value);
                v->value.string_value = NULL;
            }
        }
    t->num_elements = 0;
    forget_rows(t);
}

static void
sessions_free_item(stat_tap_table *t, unsigned row, unsigned col,
                   stat_tap_table_item_type *field)
{
    /* free_stat_tables() calls this for every cell of a table it frees:
     * the first cell stands for the table. */
    if (row == 0 && col == 0)
        forget_rows(t);
    if (field->type == TABLE_ITEM_STRING) {
        g_free((char *)field->value.string_value);
        field->value.string_value = NULL;
    }
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
        sessions_reset,
        sessions_free_item,
        NULL,
        N_COLS, columns,
        0, NULL,
        NULL,
        0
    };
    register_stat_tap_table_ui(&ui);
    register_cleanup_routine(rows_cleanup);
}
