/* msturn_compat.h - every difference between supported Wireshark versions.
 *
 * The rest of the plugin is written against the newest API (4.6); this
 * header supplies what older releases name differently.  No other file may
 * test Wireshark's version.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_COMPAT_H
#define MSTURN_COMPAT_H

#include <stdbool.h>
#include <stdint.h>
#include <ws_version.h>
#include <epan/packet.h>

#define MSTURN_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if MSTURN_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
/* 4.4: heuristic dissectors return bool; boolean preferences are bool. */
typedef bool msturn_heur_result;
typedef bool msturn_pref_bool;
#define MSTURN_HAVE_PLUGIN_DESCRIBE 1
#else
/* Before 4.4 they are GLib's gboolean (an int): the rest of the plugin
 * writes true and false, which convert. */
typedef gboolean msturn_heur_result;
typedef gboolean msturn_pref_bool;
#define MSTURN_HAVE_PLUGIN_DESCRIBE 0
/* 4.4 renamed the glib-typed accessors; older releases only have these. */
#define tvb_get_uint8(tvb, off)  tvb_get_guint8((tvb), (off))
#define tvb_get_uint16(tvb, off, enc) tvb_get_guint16((tvb), (off), (enc))
#define tvb_get_uint32(tvb, off, enc) tvb_get_guint32((tvb), (off), (enc))
#endif

/* 4.2 made a field_info's value a pointer to its fvalue_t. */
#if MSTURN_WS_AT_LEAST(4, 2)
#define MSTURN_FI_VALUE(fi) ((fi)->value)
#else
#define MSTURN_FI_VALUE(fi) (&(fi)->value)
#endif

/* 4.6 gave val_to_str a scope argument; msturn only uses the const form, and
 * this wrapper formats unknown values into pinfo's pool on every version. */
#if MSTURN_WS_AT_LEAST(4, 6)
#define msturn_val_to_str(pool, val, vs, fmt) val_to_str((pool), (val), (vs), (fmt))
#else
#define msturn_val_to_str(pool, val, vs, fmt) \
    ((void)(pool), val_to_str((val), (vs), (fmt)))
#endif

/* ---- What TLS hands its heuristic subdissectors (msturn_tls.c) ----------
 * Defined only where MSTURN_COMPAT_TLS is set before this header.  A
 * heuristic on the "tls" list that takes a session names the dissector of
 * the session's later records through its data argument: 4.4 passes a
 * struct tlsinfo (epan/dissectors/packet-tls.h) whose app_handle points to
 * the session's dissector, 4.0 passes that pointer itself.  NULL when there
 * is none. */
#ifdef MSTURN_COMPAT_TLS
#include <epan/dissectors/packet-tls.h>

static inline dissector_handle_t *
msturn_tls_app_handle(void *data)
{
#if MSTURN_WS_AT_LEAST(4, 4)
    return data != NULL ? ((struct tlsinfo *)data)->app_handle : NULL;
#else
    return (dissector_handle_t *)data;
#endif
}
#endif /* MSTURN_COMPAT_TLS */

/* ---- Programs that embed libwireshark (tests/fuzz/fuzz_dissector.c) ----
 * Defined only where MSTURN_COMPAT_EMBED is set before this header, so the
 * plugin itself does not pull in wiretap.  4.6 changed how a program hands a
 * record to epan: wtap_rec_init takes a buffer size, the record carries its
 * own bytes (wtap_rec.data; epan makes the frame's tvb from them, and the
 * frame dissector reads the record type that wtap_setup_packet_rec sets), so
 * epan_dissect_run_with_taps takes no tvb; ws_log_init and
 * configuration_init lost their program-name arguments. */
#ifdef MSTURN_COMPAT_EMBED
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <wiretap/wtap.h>
#include <wsutil/buffer.h>
#include <wsutil/filesystem.h>
#include <wsutil/wslog.h>

#if MSTURN_WS_AT_LEAST(4, 6)
#define msturn_ws_log_init(progname)       ws_log_init(NULL)
#define msturn_configuration_init(arg0)    configuration_init(arg0)
#define msturn_wtap_rec_init(rec)          wtap_rec_init((rec), 0)

/* A packet record of encapsulation encap holding bytes[0..len). */
static inline void
msturn_rec_set_packet(wtap_rec *rec, int encap, const uint8_t *bytes, unsigned len)
{
    wtap_setup_packet_rec(rec, encap);
    ws_buffer_clean(&rec->data);
    ws_buffer_append(&rec->data, bytes, len);
}

#define msturn_dissect_run_with_taps(edt, ftype, rec, bytes, len, fd, cinfo) \
    ((void)(bytes), (void)(len), epan_dissect_run_with_taps((edt), (ftype), (rec), (fd), (cinfo)))
#else
#define msturn_ws_log_init(progname)       ws_log_init((progname), NULL)
#define msturn_configuration_init(arg0)    configuration_init((arg0), NULL)
#define msturn_wtap_rec_init(rec)          wtap_rec_init(rec)

/* Before 4.6 the bytes travel beside the record, as a tvb. */
static inline void
msturn_rec_set_packet(wtap_rec *rec, int encap, const uint8_t *bytes, unsigned len)
{
    (void)bytes;
    (void)len;
    rec->rec_type = REC_TYPE_PACKET;
    rec->rec_header.packet_header.pkt_encap = encap;
}

#define msturn_dissect_run_with_taps(edt, ftype, rec, bytes, len, fd, cinfo) \
    epan_dissect_run_with_taps((edt), (ftype), (rec), \
                               tvb_new_real_data((bytes), (len), (len)), (fd), (cinfo))
#endif
#endif /* MSTURN_COMPAT_EMBED */

#endif
