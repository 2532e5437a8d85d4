/* stats_cycle.c - the MSTURN Sessions table driven the way Wireshark's
 * Statistics dialog drives a stat_tap_table_ui: every (re)tap (opening the
 * dialog, applying its display filter, View > Reload) calls the table's
 * init callback again, the tap listener is reset, and the packets of the
 * retap fill the rows anew.
 *
 * Checks, for several cycles: the dialog has exactly one table, named
 * "MSTURN Sessions" (a second init must not add a second top-level table,
 * which turns the dialog into a tree); the reset empties it; a filtered retap
 * that only sees session 2 gets one row, for session 2 (no blank row for
 * session 1); and a session whose state changes is shown as it is after the
 * change, in one pass.  Then the same for the MSTURN Peers table: one row per
 * peer of a TURN relay, emptied by a retap, and a peer's row that follows
 * its peer's change.
 *
 * Built against libwireshark with msturn's sources linked in (as the fuzz
 * harness), registered before epan_init as the plugin loader would.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <epan/epan.h>
#include <epan/packet_info.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#include "msturn.h"
#include "packet-msturn.h"
#include "msturn_session.h"

static int failures;

#define CHECK(cond, ...) do {                                           \
        if (!(cond)) {                                                  \
            failures++;                                                 \
            fprintf(stderr, "stats_cycle: FAILED: " __VA_ARGS__);       \
            fputc('\n', stderr);                                        \
        }                                                               \
    } while (0)

static stat_data_t dialog;
static epan_t *epan;
static const struct packet_provider_funcs no_provider = { NULL, NULL, NULL, NULL };

static void
tap_reset(void *tapdata)
{
    reset_stat_table(((stat_data_t *)tapdata)->stat_tap_data);
}

static const char *
cell(stat_tap_table *t, guint row, guint col)
{
    stat_tap_table_item_type *v = stat_tap_get_field_data(t, row, col);
    static char num[32];
    if (v == NULL)
        return "(none)";
    if (v->type == TABLE_ITEM_UINT) {
        g_snprintf(num, sizeof num, "%u", v->value.uint_value);
        return num;
    }
    return v->type == TABLE_ITEM_STRING && v->value.string_value ? v->value.string_value : "";
}

static void
tap_session(const msturn_session *s, packet_info *pinfo)
{
    pinfo->num++;
    dialog.stat_tap_data->packet_func(&dialog, pinfo, NULL, s, 0);
}

/* The MSTURN Peers dialog through three retaps: a TURN relay with two peers
 * gets two rows, every retap empties it first, and a peer whose checks
 * complete shows its new verdict in the same pass. */
static void
peers_cycle(packet_info *pinfo)
{
    static const uint8_t ip1[4] = { 192, 0, 2, 90 }, ip2[4] = { 192, 0, 2, 91 };
    stat_tap_table_ui *ui = stat_tap_by_name("msturn,peers");
    msturn_peer peers[2];
    msturn_session s;
    int cycle;

    CHECK(ui != NULL, "msturn,peers is not registered");
    if (ui == NULL)
        return;
    dialog.stat_tap_data = ui;
    memset(&s, 0, sizeof s);
    memset(peers, 0, sizeof peers);
    s.number = 3;
    s.udp_relay = 1;
    s.allocate_ok_frame = 2;
    s.n_peers = 2;
    s.peers = peers;
    set_address(&peers[0].ip, AT_IPv4, 4, ip1);
    set_address(&peers[1].ip, AT_IPv4, 4, ip2);
    peers[0].port = 61000;
    peers[0].pkts[MSTURN_TO_PEER] = 3;

    for (cycle = 0; cycle < 3; cycle++) {
        stat_tap_table *t;
        GString *lerr;

        ui->stat_tap_init_cb(ui);
        lerr = register_tap_listener(ui->tap_name, &dialog, NULL, 0, tap_reset, ui->packet_func,
                                     NULL, NULL);
        CHECK(lerr == NULL, "peers cycle %d: tap listener: %s", cycle, lerr ? lerr->str : "");
        if (lerr)
            g_string_free(lerr, TRUE);
        reset_tap_listeners();
        CHECK(ui->tables->len == 1, "peers cycle %d: %u tables after init, expected 1", cycle,
              ui->tables->len);
        t = g_array_index(ui->tables, stat_tap_table *, 0);
        CHECK(strcmp(t->title, "MSTURN Peers") == 0, "peers table named '%s'", t->title);
        CHECK(t->num_elements == 0, "peers cycle %d: %u rows left after the reset", cycle,
              t->num_elements);

        memset(peers[0].checks, 0, sizeof peers[0].checks);
        peers[0].version = 0;
        tap_session(&s, pinfo);
        CHECK(t->num_elements == 2, "peers cycle %d: %u rows, expected 2", cycle, t->num_elements);
        if (t->num_elements == 2) {
            CHECK(strcmp(cell(t, 0, 1), "192.0.2.90:61000") == 0 &&
                  strcmp(cell(t, 1, 1), "192.0.2.91") == 0,
                  "peers cycle %d: peers '%s', '%s'", cycle, cell(t, 0, 1), cell(t, 1, 1));
            CHECK(strcmp(cell(t, 0, 12), "one way: nothing back from the peer") == 0,
                  "peers cycle %d: verdict '%s' of a peer sent to only", cycle, cell(t, 0, 12));
            /* the four kinds of check pass: the row follows in this pass */
            peers[0].checks[0] = peers[0].checks[1] = peers[0].checks[2] = peers[0].checks[3] = 1;
            peers[0].version++;
            tap_session(&s, pinfo);
            CHECK(strcmp(cell(t, 0, 12), "ICE valid through the relay") == 0,
                  "peers cycle %d: verdict '%s' after the checks", cycle, cell(t, 0, 12));
            CHECK(strcmp(cell(t, 0, 8), "1") == 0, "peers cycle %d: checks to peer '%s'",
                  cycle, cell(t, 0, 8));
        }
        remove_tap_listener(&dialog);
    }
}

int
main(int argc _U_, char **argv)
{
    static proto_plugin msturn_plugin = { proto_register_msturn, proto_reg_handoff_msturn };
    stat_tap_table_ui *ui;
    msturn_session s1, s2;
    packet_info pinfo;
    frame_data fd;
    char *err;
    int cycle;

    ws_log_init("stats_cycle", NULL);
    init_process_policies();
    relinquish_special_privs_perm();
    err = configuration_init(argv[0], NULL);
    g_free(err);
    proto_register_plugin(&msturn_plugin);
    wtap_init(FALSE);
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "stats_cycle: epan_init failed\n");
        return 1;
    }
    ui = stat_tap_by_name("msturn,sessions");
    if (ui == NULL) {
        fprintf(stderr, "stats_cycle: msturn,sessions is not registered\n");
        return 1;
    }
    dialog.stat_tap_data = ui;
    /* An open file, as in the dialog: it brings the file scope. */
    epan = epan_new(NULL, &no_provider);

    memset(&pinfo, 0, sizeof pinfo);
    memset(&fd, 0, sizeof fd);
    pinfo.fd = &fd;
    pinfo.pool = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);

    /* Two sessions as the session model leaves them after an Allocate. */
    memset(&s1, 0, sizeof s1);
    memset(&s2, 0, sizeof s2);
    s1.number = 1;
    s2.number = 2;
    set_address(&s1.client.addr, AT_NONE, 0, NULL);
    set_address(&s1.server.addr, AT_NONE, 0, NULL);
    s2.client = s1.client;
    s2.server = s1.server;
    s1.allocate_frame = 4;
    s2.allocate_frame = 9;

    for (cycle = 0; cycle < 3; cycle++) {
        stat_tap_table *t;
        GString *lerr;

        /* What the dialog does on open and on every Apply of its filter. */
        ui->stat_tap_init_cb(ui);
        lerr = register_tap_listener(ui->tap_name, &dialog, cycle ? "msturn.session == 2" : NULL,
                                     0, tap_reset, ui->packet_func, NULL, NULL);
        CHECK(lerr == NULL, "cycle %d: tap listener: %s", cycle, lerr ? lerr->str : "");
        if (lerr)
            g_string_free(lerr, TRUE);
        reset_tap_listeners();

        CHECK(ui->tables->len == 1, "cycle %d: %u tables after init, expected 1 (each retap "
              "added one)", cycle, ui->tables->len);
        t = g_array_index(ui->tables, stat_tap_table *, 0);
        CHECK(strcmp(t->title, "MSTURN Sessions") == 0, "table named '%s'", t->title);
        CHECK(t->num_elements == 0, "cycle %d: %u rows left after the reset", cycle,
              t->num_elements);

        /* The retap: unfiltered it sees both sessions, filtered (as the
         * display filter would pass only session 2's frames) only one. */
        if (cycle == 0)
            tap_session(&s1, &pinfo);
        s2.allocate_ok_frame = 0;
        s2.version = 0;
        tap_session(&s2, &pinfo);
        CHECK(t->num_elements == (cycle == 0 ? 2u : 1u), "cycle %d: %u rows, expected %u",
              cycle, t->num_elements, cycle == 0 ? 2u : 1u);
        if (t->num_elements >= 1) {
            guint row = t->num_elements - 1;
            CHECK(strcmp(cell(t, row, 0), "2") == 0, "cycle %d: last row is session %s, "
                  "expected 2", cycle, cell(t, row, 0));
            CHECK(strcmp(cell(t, row, 9), "no Allocate response") == 0,
                  "cycle %d: verdict '%s' before the Allocate success", cycle, cell(t, row, 9));
            /* the Allocate succeeds: the row follows in the same pass, even
             * though taps always see the frame as visited */
            fd.visited = 1;
            s2.allocate_ok_frame = 11;
            s2.version++;
            tap_session(&s2, &pinfo);
            CHECK(strcmp(cell(t, row, 9), "no peer connection") == 0,
                  "cycle %d: verdict '%s' after the Allocate success, expected 'no peer "
                  "connection'", cycle, cell(t, row, 9));
            fd.visited = 0;
        }
        remove_tap_listener(&dialog);
    }
    peers_cycle(&pinfo);
    wmem_destroy_allocator(pinfo.pool);
    epan_free(epan);
    epan_cleanup();
    wtap_cleanup();
    printf("stats_cycle: %s\n", failures ? "FAILED" : "one table through 3 retaps, filtered rows only; peers "
           "table alike");
    return failures ? 1 : 0;
}
