/* packet-msturn.c - protocol registration, preferences and handoff.
 *
 * msturn owns STUN, TURN and Microsoft's MS-TURN carried over TCP: on the
 * TURN port (3478 by default), through a TCP heuristic on any port, and on
 * ports shared with other protocols (80, 443) where it takes only what is
 * STUN and passes everything else to the dissector that owns the port.
 */
#include "msturn.h"
#include "msturn_sip.h"
#include "msturn_hmac.h"
#include "msturn_session.h"
#include "msturn_stats.h"

int proto_msturn = -1;

static msturn_pref_bool pref_udp = FALSE;
static range_t *pref_shared_ports;
static range_t *shared_ports_active;

/* Port -> the dissector that owned the shared port before msturn. */
static wmem_map_t *shared_prev;

static dissector_handle_t udp_prev;

#define TURN_PORT_RANGE "3478"
#define SHARED_PORT_RANGE "80,443"
#define TURN_UDP_PORT 3478

/* Entry for every port msturn is registered on, and for conversations it
 * claimed: STUN is ours; on a shared port anything else goes to the port's
 * previous owner; elsewhere it is refused so TCP tries other dissectors. */
int
msturn_dissect_tcp_port(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msturn_conv *conv = msturn_conv_get(pinfo, FALSE);
    dissector_handle_t prev;
    msturn_frame fr;
    guint avail = tvb_captured_length(tvb);

    if (conv != NULL && (msturn_conv_ctx(conv, pinfo->num) & MSTURN_CTX_KNOWN))
        return msturn_dissect_tcp(tvb, pinfo, tree, data);
    if (avail >= 4 &&
        msturn_frame_detect(tvb_get_ptr(tvb, 0, avail), avail, 0, &fr, NULL) == MSTURN_FRAME_OK &&
        fr.flavor != MSTURN_FLAVOR_NONE) {
        conversation_set_dissector(find_or_create_conversation(pinfo), msturn_tcp_handle);
        return msturn_dissect_tcp(tvb, pinfo, tree, data);
    }
    if (msturn_looks_like_pseudo_tls(tvb, pinfo)) {
        conversation_set_dissector(find_or_create_conversation(pinfo), msturn_tcp_handle);
        return msturn_dissect_tcp(tvb, pinfo, tree, data);
    }
    prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                GUINT_TO_POINTER(MIN(pinfo->srcport, pinfo->destport)));
    if (prev == NULL)
        prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                GUINT_TO_POINTER(MAX(pinfo->srcport, pinfo->destport)));
    if (prev == NULL)
        return 0;
    /* Each dissector call spends one level of can_desegment; give the port's
     * owner the level TCP gave msturn, or TLS on 443 could not reassemble a
     * record that spans segments. */
    pinfo->can_desegment = pinfo->saved_can_desegment;
    return call_dissector_only(prev, tvb, pinfo, tree, data);
}

static void
take_shared_port(guint32 port, gpointer user _U_)
{
    dissector_table_t tcp_port = find_dissector_table("tcp.port");
    dissector_handle_t cur = dissector_get_uint_handle(tcp_port, port);

    if (cur != msturn_tcp_handle && cur != NULL)
        wmem_map_insert(shared_prev, GUINT_TO_POINTER(port), cur);
    dissector_add_uint("tcp.port", port, msturn_tcp_handle);
}

static void
give_back_shared_port(guint32 port, gpointer user _U_)
{
    dissector_handle_t prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                                                                  GUINT_TO_POINTER(port));
    if (prev)
        dissector_add_uint("tcp.port", port, prev);
    else
        dissector_delete_uint("tcp.port", port, msturn_tcp_handle);
}

void
proto_register_msturn(void)
{
    module_t *m;

    proto_msturn = proto_register_protocol("MS-TURN / STUN / TURN over TCP", "MSTURN", "msturn");

    msturn_tcp_register(proto_msturn);
    msturn_message_register(proto_msturn);
    msturn_attrs_register(proto_msturn);
    msturn_session_register(proto_msturn);
    msturn_stats_register();

    m = prefs_register_protocol(proto_msturn, proto_reg_handoff_msturn);
    pref_shared_ports = range_empty(wmem_epan_scope());
    range_convert_str(wmem_epan_scope(), &pref_shared_ports, SHARED_PORT_RANGE, 65535);
    prefs_register_range_preference(m, "tcp.shared_ports", "Shared TCP ports",
        "TCP ports owned by other protocols (HTTP, TLS) on which msturn takes only the "
        "connections that carry STUN or Lync/Skype pseudo-TLS",
        &pref_shared_ports, 65535);
    prefs_register_bool_preference(m, "udp", "Decode STUN over UDP too",
        "Also decode STUN/TURN over UDP (port 3478 and by heuristic) with msturn's fields, "
        "instead of Wireshark's built-in STUN dissector", &pref_udp);
    msturn_hmac_register(m);
    msturn_sip_register(proto_msturn, m);

    shared_prev = wmem_map_new(wmem_epan_scope(), g_direct_hash, g_direct_equal);
}

void
proto_reg_handoff_msturn(void)
{
    static gboolean initialized = FALSE;
    static gboolean udp_active = FALSE;

    if (!initialized) {
        dissector_add_uint_range_with_preference("tcp.port", TURN_PORT_RANGE, msturn_tcp_handle);
        heur_dissector_add("tcp", msturn_heur_tcp, "MS-TURN/STUN over TCP", "msturn_tcp",
                           proto_msturn, HEURISTIC_ENABLE);
        heur_dissector_add("udp", msturn_heur_udp, "MS-TURN/STUN over UDP", "msturn_udp",
                           proto_msturn, HEURISTIC_ENABLE);
        msturn_tcp_handoff();
        initialized = TRUE;
    }
    msturn_sip_handoff();       /* the fields it reads depend on msturn.sip */

    if (shared_ports_active) {
        range_foreach(shared_ports_active, give_back_shared_port, NULL);
        wmem_free(wmem_epan_scope(), shared_ports_active);
    }
    shared_ports_active = range_copy(wmem_epan_scope(), pref_shared_ports);
    range_foreach(shared_ports_active, take_shared_port, NULL);

    /* UDP is the built-in STUN dissector's unless the user asks. */
    if (pref_udp && !udp_active) {
        udp_prev = dissector_get_uint_handle(find_dissector_table("udp.port"), TURN_UDP_PORT);
        dissector_add_uint("udp.port", TURN_UDP_PORT, msturn_udp_handle);
        udp_active = TRUE;
    } else if (!pref_udp && udp_active) {
        if (udp_prev)
            dissector_add_uint("udp.port", TURN_UDP_PORT, udp_prev);
        else
            dissector_delete_uint("udp.port", TURN_UDP_PORT, msturn_udp_handle);
        udp_active = FALSE;
    }
}

/* The UDP heuristic stays registered so it can be listed and toggled in
 * Enabled Protocols, but claims nothing unless the preference asks. */
int
msturn_udp_wanted(void)
{
    return pref_udp;
}
