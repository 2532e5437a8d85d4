/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 The msturn authors
 */
/* fuzz_dissector.c - libFuzzer target: msturn inside libwireshark.
 *
 * libwireshark is initialised once, with msturn registered the way the
 * plugin loader would (plugin.c: proto_register_plugin before epan_init).
 * Each input is then dissected twice over:
 *
 *  (i)  the whole input as the payload of one TCP segment to port 3478
 *       (after a SYN, SYN-ACK);
 *  (ii) the input read as a sequence of segments of up to four TCP
 *       connections (records below), wrapped in IPv4/TCP headers with
 *       correct sequence numbers, so that TCP reassembly, the per-connection
 *       state and the session code see what they see in a capture.  All
 *       frames are dissected twice, like tshark -2, so the second-pass code
 *       paths run too.  The sessions and peers tables are tapped.
 *
 * Record: [control][length][length bytes of payload]
 *   control bit 0     direction: 0 client -> server, 1 server -> client
 *   control bits 1-2  connection: 0 and 1 to the TURN port 3478 (control and
 *                     data connection), 2 to port 443 (shared port),
 *                     3 to 10.0.0.2:24000 (a relayed address)
 *   control bit 3     skip 100 bytes of sequence space first (a lost segment)
 *   control bit 4     send the segment twice (a retransmission)
 *   control bit 5     advance the clock by 40 s first (lifetime and the 30 s
 *                     ConnectionBind rule, RFC 6062 5.3)
 *   control bit 6     send the payload as a UDP datagram between the same
 *                     addresses instead (msturn.udp is on): connections 0
 *                     and 1 are two TURN allocations' 5-tuples to the TURN
 *                     server port 3478, 2 and 3 reach msturn's UDP heuristic
 *                     (443, and 24000); ChannelData, Send and Data
 *                     indications of those 5-tuples make TURN relay
 *                     sessions with peers (the mutator names up to 32 of
 *                     40 peers per message)
 *   control bit 7     the SIP connection instead, 10.0.0.5 to 10.0.0.2:5060
 *                     (bits 1-2 ignored): Wireshark's SIP dissector decodes
 *                     it and msturn's SIP reader reads what it decoded
 * Every connection starts with SYN / SYN-ACK and ends with FIN both ways.
 *
 * One epan (one "capture file": file-scoped memory, conversations, msturn's
 * sessions) serves MSTURN_FUZZ_EPAN_INPUTS inputs (default 500), then it is
 * freed and a new one made: epan_new runs every dissector's init routine
 * (0.2-0.4 s) and libwireshark 4.0 does not give back all it allocates
 * there (RSS grows some 10 MB per epan), so an epan per input would be both
 * slow and leak.  Inputs in one
 * epan are kept apart the way a capture keeps reused ports apart: each
 * input's connections start with a SYN whose initial sequence number differs
 * from the previous input's, so TCP starts new conversations.  What msturn
 * keeps per file (sessions by CONNECTION-ID and relayed address) can still
 * link inputs of one epan, as it links connections of one capture.
 *
 * WIRESHARK_ABORT_ON_DISSECTOR_BUG is set before epan_init: a failed
 * DISSECTOR_ASSERT, a field added with the wrong type and similar dissector
 * bugs then abort() (which libFuzzer reports) instead of turning into a
 * "Dissector bug" item in the tree.  Malformed-packet exceptions are the
 * normal outcome of hostile input and are not crashes.
 * WIRESHARK_DEBUG_WMEM_OVERRIDE=simple makes every wmem allocation a separate
 * malloc, so AddressSanitizer sees overruns of wmem memory too.  Of the TCP
 * heuristics only msturn's and the two STUN ones run (keep_stun_heuristics);
 * QUIC is off (see main).
 *
 * Environment: MSTURN_FUZZ_VERBOSE=1 prints every frame's columns;
 * MSTURN_FUZZ_PCAP=FILE also writes the frames to a pcap file for tshark or
 * Wireshark; MSTURN_FUZZ_SHOW_BUGS=1 leaves dissector bugs in the tree
 * instead of aborting; MSTURN_FUZZ_EPAN_INPUTS=N inputs per epan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/timestamp.h>
#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/stat_tap_ui.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#define MSTURN_COMPAT_EMBED 1  /* the record and start-up calls of each version */
#include "msturn.h"
#include "packet-msturn.h"
#include "msturn_compat.h"

#define MAX_FRAMES 2048
#define IP_TCP_LEN 40u
#define MAX_PAYLOAD (65535u - IP_TCP_LEN)

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

typedef struct {
    uint8_t  *bytes;
    unsigned  len;
    nstime_t  ts;
    frame_data fd;
} frame_t;

typedef struct {
    int      used;
    uint32_t seq[2];   /* next sequence number per direction */
    uint32_t cli_ip, srv_ip;
    uint16_t cli_port, srv_port;
} conn_t;

static frame_t frames[MAX_FRAMES];
static unsigned n_frames;
static guint32 frame_base;         /* frames of earlier inputs in this epan */
static GArray *frame_times;        /* every frame's time in this epan, for the provider */
static uint32_t isn_base;          /* initial sequence numbers of this input */
static epan_t *epan;
static epan_dissect_t *edt;
static unsigned epan_inputs, epan_max_inputs = 500;
static nstime_t clock_now;
static column_info cinfo;
static e_prefs *prefs_p;

static const nstime_t *
frame_ts(struct packet_provider_data *prov _U_, guint32 num)
{
    if (num == 0 || num > frame_times->len)
        return NULL;
    return &g_array_index(frame_times, nstime_t, num - 1);
}

static const struct packet_provider_funcs provider = { .get_frame_ts = frame_ts };

static void
put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFFu);
}

/* One IPv4/TCP frame (RFC 791, RFC 9293 headers), or IPv4/UDP (RFC 768)
 * with flags UDP; checksums are left zero, Wireshark does not check them by
 * default. */
#define UDP 0x100u

static void
add_frame(conn_t *c, int dir, unsigned flags, const uint8_t *payload, unsigned len)
{
    frame_t *f;
    uint8_t *p;
    unsigned hdr = (flags & UDP) ? 28u : IP_TCP_LEN;

    if (n_frames >= MAX_FRAMES)
        return;
    if (len > MAX_PAYLOAD)
        len = MAX_PAYLOAD;
    f = &frames[n_frames++];
    f->len = hdr + len;
    f->bytes = g_malloc0(f->len);
    p = f->bytes;
    p[0] = 0x45;
    put16(p + 2, f->len);
    put16(p + 4, n_frames);
    p[8] = 64;
    p[9] = (flags & UDP) ? 17 : 6;
    put32(p + 12, dir ? c->srv_ip : c->cli_ip);
    put32(p + 16, dir ? c->cli_ip : c->srv_ip);
    p += 20;
    put16(p, dir ? c->srv_port : c->cli_port);
    put16(p + 2, dir ? c->cli_port : c->srv_port);
    if (flags & UDP) {
        put16(p + 4, 8 + len);
        if (len)
            memcpy(p + 8, payload, len);
        f->ts = clock_now;
        return;
    }
    put32(p + 4, c->seq[dir]);
    put32(p + 8, (flags & TH_ACK) ? c->seq[!dir] : 0);
    p[12] = 5 << 4;
    p[13] = (uint8_t)flags;
    put16(p + 14, 65535);
    if (len)
        memcpy(p + 20, payload, len);
    c->seq[dir] += len + ((flags & (TH_SYN | TH_FIN)) ? 1u : 0u);
    clock_now.nsecs += 1000000;
    if (clock_now.nsecs >= 1000000000) {
        clock_now.nsecs -= 1000000000;
        clock_now.secs++;
    }
    f->ts = clock_now;
}

static void
open_conn(conn_t *c)
{
    if (c->used)
        return;
    c->used = 1;
    add_frame(c, 0, TH_SYN, NULL, 0);
    add_frame(c, 1, TH_SYN | TH_ACK, NULL, 0);
}

static void
build_stream(const uint8_t *data, size_t size)
{
    conn_t conns[5];
    size_t off = 0;
    unsigned i;

    memset(conns, 0, sizeof conns);
    for (i = 0; i < 5; i++) {
        conns[i].cli_ip = 0x0A000001u + (i >= 2 ? i : 0);   /* 10.0.0.1, .3, .4, .5 */
        conns[i].srv_ip = 0x0A000002u;                      /* 10.0.0.2 */
        conns[i].cli_port = (uint16_t)(50000 + i);
        conns[i].seq[0] = isn_base + 1000u + 0x01000000u * i;
        conns[i].seq[1] = isn_base + 0x80000000u + 0x01000000u * i;
    }
    conns[0].srv_port = conns[1].srv_port = 3478;
    conns[2].srv_port = 443;
    conns[3].srv_port = 24000;
    conns[4].srv_port = 5060;

    while (off + 2 <= size && n_frames + 8 < MAX_FRAMES) {
        unsigned ctl = data[off], len = data[off + 1];
        conn_t *c = (ctl & 0x80) ? &conns[4] : &conns[(ctl >> 1) & 3u];
        int dir = ctl & 1;
        off += 2;
        if (len > size - off)
            len = (unsigned)(size - off);
        open_conn(c);
        if (ctl & 0x08)
            c->seq[dir] += 100;
        if (ctl & 0x20)
            clock_now.secs += 40;
        if (ctl & 0x40) {
            add_frame(c, dir, UDP, data + off, len);
            off += len;
            continue;
        }
        if (ctl & 0x10) {
            uint32_t s = c->seq[dir];
            add_frame(c, dir, TH_ACK | TH_PSH, data + off, len);
            c->seq[dir] = s;
        }
        add_frame(c, dir, TH_ACK | TH_PSH, data + off, len);
        off += len;
    }
    for (i = 0; i < 5; i++)
        if (conns[i].used) {
            add_frame(&conns[i], 0, TH_FIN | TH_ACK, NULL, 0);
            add_frame(&conns[i], 1, TH_FIN | TH_ACK, NULL, 0);
        }
}

/* MSTURN_FUZZ_VERBOSE=1 prints each frame's columns in the second pass:
 * to see what an input decodes to. */
static int verbose;

static void
print_columns(void)
{
    int i;
    for (i = 0; i < cinfo.num_cols; i++)
        printf("%s%s", i ? " | " : "", cinfo.columns[i].col_data ? cinfo.columns[i].col_data : "");
    putchar('\n');
}

static void
close_epan(void)
{
    if (epan == NULL)
        return;
    draw_tap_listeners(TRUE);
    epan_dissect_free(edt);
    epan_free(epan);
    reset_tap_listeners();
    epan = NULL;
    edt = NULL;
}

/* MSTURN_FUZZ_PCAP=FILE writes every frame dissected to a pcap file
 * (LINKTYPE_RAW), so that an input can be replayed through tshark. */
static FILE *pcap_out;

static void
pcap_put32(uint32_t v)
{
    fwrite(&v, 4, 1, pcap_out);
}

static void
pcap_write_frames(void)
{
    unsigned i;

    for (i = 0; i < n_frames; i++) {
        pcap_put32((uint32_t)frames[i].ts.secs);
        pcap_put32((uint32_t)(frames[i].ts.nsecs / 1000));
        pcap_put32(frames[i].len);
        pcap_put32(frames[i].len);
        fwrite(frames[i].bytes, 1, frames[i].len, pcap_out);
    }
    fflush(pcap_out);
}

/* The record header of frames[i]: raw IP, microsecond time stamps. */
static void
set_record(wtap_rec *rec, unsigned i)
{
    msturn_rec_set_packet(rec, WTAP_ENCAP_RAW_IP, frames[i].bytes, frames[i].len);
    rec->presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec->ts = frames[i].ts;
    rec->tsprec = WTAP_TSPREC_USEC;
    rec->rec_header.packet_header.caplen = frames[i].len;
    rec->rec_header.packet_header.len = frames[i].len;
}

/* Dissect frames[] in two passes, then free them. */
static void
dissect_frames(void)
{
    wtap_rec rec;
    unsigned pass, i;
    guint32 cum_bytes = 0;

    if (pcap_out)
        pcap_write_frames();
    msturn_wtap_rec_init(&rec);
    for (i = 0; i < n_frames; i++) {
        set_record(&rec, i);
        frame_data_init(&frames[i].fd, frame_base + i + 1, &rec, 0, cum_bytes);
        g_array_append_val(frame_times, frames[i].ts);
        cum_bytes += frames[i].len;
    }
    for (pass = 0; pass < 2; pass++) {
        const frame_data *ref = NULL, *prev = NULL;
        nstime_t elapsed = NSTIME_INIT_ZERO;
        guint32 cum = 0;
        for (i = 0; i < n_frames; i++) {
            frame_data *fd = &frames[i].fd;
            set_record(&rec, i);
            frame_data_set_before_dissect(fd, &elapsed, &ref, prev);
            msturn_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec,
                                         frames[i].bytes, frames[i].len, fd, &cinfo);
            epan_dissect_fill_in_columns(edt, FALSE, TRUE);
            if (verbose)
                print_columns();
            frame_data_set_after_dissect(fd, &cum);
            prev = fd;
            epan_dissect_reset(edt);
        }
    }
    wtap_rec_cleanup(&rec);
    for (i = 0; i < n_frames; i++) {
        frame_data_destroy(&frames[i].fd);
        g_free(frames[i].bytes);
    }
    frame_base += n_frames;
    n_frames = 0;
}

/* The sessions and peers tables (tshark -z msturn,sessions -z
 * msturn,peers): their tap listeners are registered here the way tshark's
 * table front end does, and after every input each cell is read back as a
 * front end would print it. */
static stat_data_t sessions_table, peers_table;

static void
table_reset(void *tapdata)
{
    reset_stat_table(((stat_data_t *)tapdata)->stat_tap_data);
}

static void
table_draw(void *tapdata)
{
    stat_tap_table_ui *ui = ((stat_data_t *)tapdata)->stat_tap_data;
    size_t bytes = 0;
    guint t, r, c;

    for (t = 0; t < ui->tables->len; t++) {
        stat_tap_table *tab = g_array_index(ui->tables, stat_tap_table *, t);
        for (r = 0; r < tab->num_elements; r++)
            for (c = 0; c < tab->num_fields; c++) {
                stat_tap_table_item_type *v = stat_tap_get_field_data(tab, r, c);
                if (v && v->type == TABLE_ITEM_STRING && v->value.string_value)
                    bytes += strlen(v->value.string_value);
            }
    }
    (void)bytes;
}

static void
start_table(const char *name, stat_data_t *table)
{
    stat_tap_table_ui *ui = stat_tap_by_name(name);
    GString *err;

    if (ui == NULL) {
        fprintf(stderr, "fuzz_dissector: no table %s\n", name);
        exit(1);
    }
    table->stat_tap_data = ui;
    ui->stat_tap_init_cb(ui);
    err = register_tap_listener(ui->tap_name, table, NULL, 0, table_reset,
                                ui->packet_func, table_draw, NULL);
    if (err) {
        fprintf(stderr, "fuzz_dissector: %s\n", err->str);
        exit(1);
    }
}

/* Of the TCP heuristics, only msturn's and Wireshark's two STUN ones (whose
 * place msturn takes) stay enabled.  The fuzzer steers inputs toward every
 * heuristic's signature, and several of Wireshark 4.0's have dissector bugs
 * of their own that abort the run: jxta_tcp asks TCP for more data and then
 * rejects the segment (packet-tcp.c "save_desegment_offset ==
 * pinfo->desegment_offset", reproduced with a plain tshark -2 without
 * msturn); ceph_tcp asserts "Frame visited, but no saved state" when an
 * older frame is revisited before new frames arrive.  Those are not msturn's
 * and would stop the search for msturn's. */
static void
keep_stun_heuristics(const gchar *table _U_, struct heur_dtbl_entry *e, gpointer data _U_)
{
    if (strcmp(e->short_name, "msturn_tcp") != 0 && strcmp(e->short_name, "stun_tcp") != 0 &&
        strcmp(e->short_name, "classicstun_tcp") != 0)
        e->enabled = FALSE;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv)
{
    static proto_plugin msturn_plugin = { proto_register_msturn, proto_reg_handoff_msturn };
    char *err;

    msturn_ws_log_init("fuzz_dissector");
    verbose = getenv("MSTURN_FUZZ_VERBOSE") != NULL;
    if (getenv("MSTURN_FUZZ_PCAP")) {
        pcap_out = fopen(getenv("MSTURN_FUZZ_PCAP"), "wb");
        if (pcap_out == NULL) {
            perror(getenv("MSTURN_FUZZ_PCAP"));
            exit(1);
        }
        /* pcap file header: magic, version 2.4, snaplen, LINKTYPE_RAW (101) */
        pcap_put32(0xA1B2C3D4u);
        pcap_put32(2u | (4u << 16));
        pcap_put32(0);
        pcap_put32(0);
        pcap_put32(65535);
        pcap_put32(101);
    }
    if (getenv("MSTURN_FUZZ_EPAN_INPUTS"))
        epan_max_inputs = (unsigned)MAX(1, atoi(getenv("MSTURN_FUZZ_EPAN_INPUTS")));
    /* MSTURN_FUZZ_SHOW_BUGS=1 leaves dissector bugs in the tree (with
     * MSTURN_FUZZ_VERBOSE=1, their text is in the Info column). */
    if (getenv("MSTURN_FUZZ_SHOW_BUGS") == NULL)
        setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", 1);
    setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", 0);
    init_process_policies();
    relinquish_special_privs_perm();
    err = msturn_configuration_init((*argv)[0]);
    if (err) {
        fprintf(stderr, "fuzz_dissector: configuration_init: %s\n", err);
        g_free(err);
    }
    /* As plugin.c's plugin_register does for the loader. */
    proto_register_plugin(&msturn_plugin);
    wtap_init(FALSE);
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz_dissector: epan_init failed\n");
        exit(1);
    }
    if (proto_get_id_by_filter_name("msturn") < 0) {
        fprintf(stderr, "fuzz_dissector: msturn did not register\n");
        exit(1);
    }
    prefs_p = epan_load_settings();
    heur_dissector_table_foreach("tcp", keep_stun_heuristics, NULL);
    /* UDP records to port 443 are QUIC to Wireshark, and libwireshark 4.0's
     * QUIC dissector fails its own assertion on fuzzed datagrams
     * (packet-quic.c: "quic_packet"): a bug of Wireshark's, which would
     * abort every run; msturn never hands QUIC anything. */
    {
        int quic = proto_get_id_by_filter_name("quic");
        if (quic > 0)
            proto_set_decoding(quic, FALSE);
    }
    /* Columns as tshark shows them by default. */
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
    /* STUN over UDP with msturn's fields too (off by default). */
    {
        char pref[] = "msturn.udp:TRUE";
        char *perr = NULL;
        if (prefs_set_pref(pref, &perr) != PREFS_SET_OK) {
            fprintf(stderr, "fuzz_dissector: msturn.udp: %s\n", perr ? perr : "?");
            exit(1);
        }
        prefs_apply_all();
    }
    start_table("msturn,sessions", &sessions_table);
    start_table("msturn,peers", &peers_table);
    frame_times = g_array_new(FALSE, FALSE, sizeof(nstime_t));
    build_column_format_array(&cinfo, prefs_p->num_cols, TRUE);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    conn_t c;

    if (epan == NULL || epan_inputs >= epan_max_inputs) {
        close_epan();
        epan = epan_new(NULL, &provider);
        edt = epan_dissect_new(epan, TRUE, TRUE);
        epan_inputs = 0;
        frame_base = 0;
        g_array_set_size(frame_times, 0);
        clock_now.secs = 1700000000;
        clock_now.nsecs = 0;
    }
    epan_inputs++;
    isn_base += 0x00100000u;
    clock_now.secs += 3600;     /* each input an hour after the previous one */

    /* (i) one segment to the TURN port carrying the whole input. */
    memset(&c, 0, sizeof c);
    c.cli_ip = 0x0A000001u;
    c.srv_ip = 0x0A000002u;
    c.cli_port = 50000;
    c.srv_port = 3478;
    c.seq[0] = isn_base + 1;
    c.seq[1] = isn_base + 0x40000000u;
    open_conn(&c);
    add_frame(&c, 0, TH_ACK | TH_PSH, data, size > MAX_PAYLOAD ? MAX_PAYLOAD : (unsigned)size);
    add_frame(&c, 0, TH_FIN | TH_ACK, NULL, 0);
    add_frame(&c, 1, TH_FIN | TH_ACK, NULL, 0);
    dissect_frames();

    /* (ii) the input as segments of several connections. */
    build_stream(data, size);
    dissect_frames();
    return 0;
}

/* Half of the mutations edit one STUN message and keep its lengths true
 * (stun_mutator.c), so that inputs get past the framing check. */
#include "stun_mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    return msturn_stun_mutate(data, size, max_size, seed, 1, LLVMFuzzerMutate);
}
