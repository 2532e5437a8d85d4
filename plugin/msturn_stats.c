/* msturn_stats.c - the sessions table: `tshark -z msturn,sessions` and
 * Statistics > MSTURN Sessions in Wireshark, one row per presentation
 * session, fed by the "msturn" tap (one tap record per frame of a session). */
#include "msturn_stats.h"
#include "msturn_session.h"

#include <epan/stat_tap_ui.h>
#include <epan/to_str.h>

enum {
    COL_SESSION, COL_CLIENT, COL_SERVER, COL_RELAYED, COL_PEERS, COL_ALLOCATE,
    COL_ATTEMPT, COL_BIND, COL_DURATION, COL_VERDICT, N_COLS
};

static stat_tap_table_item columns[N_COLS] = {
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Session", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Client", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "TURN server", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Relayed", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Peers", "%s" },
    { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Allocate", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "ConnectionAttempt", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "ConnectionBind", "%s" },
    { TABLE_ITEM_FLOAT,  TAP_ALIGN_RIGHT, "Duration (s)", "%.3f" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Verdict", "%s" },
};

static char *
endpoint_text(const msturn_endpoint *e)
{
    char *a = address_to_str(NULL, &e->addr);
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
    return g_string_free(g, FALSE);
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
    return g_string_free(g, FALSE);
}

static void
set_string(stat_tap_table *t, guint row, guint col, char *owned)
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
set_uint(stat_tap_table *t, guint row, guint col, guint val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_UINT;
    v.value.uint_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

static void
set_float(stat_tap_table *t, guint row, guint col, double val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_FLOAT;
    v.value.float_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

static void
sessions_init(stat_tap_table_ui *ui)
{
    stat_tap_table *t = stat_tap_init_table("MSTURN Sessions", N_COLS, 0, NULL);
    stat_tap_add_table(ui, t);
}

static tap_packet_status
sessions_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                const void *data, tap_flags_t flags _U_)
{
    stat_data_t *sd = (stat_data_t *)tapdata;
    stat_tap_table *t = g_array_index(sd->stat_tap_data->tables, stat_tap_table *, 0);
    const msturn_session *s = (const msturn_session *)data;
    guint row = s->number - 1;
    nstime_t dur;
    char *verdict;

    while (t->num_elements <= row) {
        stat_tap_table_item_type blank[N_COLS];
        guint i;
        memset(blank, 0, sizeof blank);
        for (i = 0; i < N_COLS; i++) {
            blank[i].type = columns[i].type;
            if (columns[i].type == TABLE_ITEM_STRING)
                blank[i].value.string_value = g_strdup("");
        }
        blank[COL_SESSION].value.uint_value = t->num_elements + 1;
        stat_tap_init_table_row(t, t->num_elements, N_COLS, blank);
    }
    /* Sessions change only in the first pass (msturn_session.c): a row
     * filled from a frame of a later pass is final, and formatting it again
     * for each of the session's frames cost more than dissecting them. */
    if (PINFO_FD_VISITED(pinfo) && stat_tap_get_field_data(t, row, COL_SESSION)->user_data.uint_value)
        return TAP_PACKET_DONT_REDRAW;

    set_uint(t, row, COL_SESSION, s->number);
    set_string(t, row, COL_CLIENT, endpoint_text(&s->client));
    set_string(t, row, COL_SERVER, endpoint_text(&s->server));
    set_string(t, row, COL_RELAYED, s->has_relayed ? endpoint_text(&s->relayed) : g_strdup(""));
    set_string(t, row, COL_PEERS, peers_text(s));
    set_uint(t, row, COL_ALLOCATE, s->allocate_frame);
    set_string(t, row, COL_ATTEMPT, link_frames(s, 0));
    set_string(t, row, COL_BIND, link_frames(s, 1));
    nstime_delta(&dur, &s->last_ts, &s->first_ts);
    set_float(t, row, COL_DURATION, nstime_to_sec(&dur));
    /* In pinfo's pool: a verdict with a code is formatted, and a NULL pool
     * would leave it to no one to free (one per tapped frame). */
    verdict = (char *)msturn_session_verdict(s, pinfo->pool);
    set_string(t, row, COL_VERDICT, g_strdup(verdict));
    if (PINFO_FD_VISITED(pinfo))
        stat_tap_get_field_data(t, row, COL_SESSION)->user_data.uint_value = 1;
    return TAP_PACKET_REDRAW;
}

static void
sessions_reset(stat_tap_table *t)
{
    guint row, col;
    for (row = 0; row < t->num_elements; row++)
        for (col = 0; col < N_COLS; col++) {
            stat_tap_table_item_type *v = stat_tap_get_field_data(t, row, col);
            if (v->type == TABLE_ITEM_STRING) {
                g_free((char *)v->value.string_value);
                v->value.string_value = NULL;
            }
        }
    t->num_elements = 0;
}

static void
sessions_free_item(stat_tap_table *t _U_, guint row _U_, guint col _U_,
                   stat_tap_table_item_type *field)
{
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
        "MSTURN Sessions",
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
}
