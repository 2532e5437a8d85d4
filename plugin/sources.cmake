# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
#
# The plugin's sources, for both builds: msturn's own (CMakeLists.txt) and
# the in-tree one inside Wireshark's source tree (wireshark-tree.cmake).

# Pure code: no epan dependency.
set(MSTURN_CORE_SOURCES
  msturn_framing.c
  msturn_media.c
  msturn_methods.c
  msturn_attr_table.c
  msturn_attr_table_ms.c
  msturn_sdp.c
  msturn_sip_text.c
  msturn_sip_diag.c
  msturn_error_table.c
)

# Dissection, sessions and statistics: epan code.
set(MSTURN_EPAN_SOURCES
  packet-msturn.c
  msturn_conv.c
  msturn_view.c
  msturn_tcp.c
  msturn_tls.c
  msturn_message.c
  msturn_attrs.c
  msturn_attr_decode.c
  msturn_attr_fields.c
  msturn_hmac.c
  msturn_session.c
  msturn_session_ms.c
  msturn_session_relay.c
  msturn_session_store.c
  msturn_dialog.c
  msturn_sip.c
  msturn_sip_outcome.c
  msturn_post.c
  msturn_verdict.c
  msturn_stats.c
  msturn_stats_peers.c
  msturn_stats_table.c
)
