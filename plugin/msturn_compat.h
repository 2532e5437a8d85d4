/* msturn_compat.h - every difference between supported Wireshark versions.
 *
 * The rest of the plugin is written against the newest API (4.6); this
 * header supplies what older releases name differently.  No other file may
 * test Wireshark's version.
 */
#ifndef MSTURN_COMPAT_H
#define MSTURN_COMPAT_H

#include <ws_version.h>
#include <epan/packet.h>

#define MSTURN_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if MSTURN_WS_AT_LEAST(4, 4)
#include <stdbool.h>
#include <wsutil/plugins.h>
/* 4.4: heuristic dissectors return bool; boolean preferences are bool. */
typedef bool msturn_heur_result;
typedef bool msturn_pref_bool;
#define MSTURN_HAVE_PLUGIN_DESCRIBE 1
#else
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

#endif
