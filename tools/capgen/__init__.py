# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The lab capture generator (tools/gen_captures.py is its command line).

Building blocks, each calling only those above it:
  common     constants of the lab, the deterministic byte source
  pcapng     the pcapng writer
  net        IP, TCP, UDP packets and Ethernet frames
  truth      one capture: frames, truth entries, expected sessions
  stun       STUN/TURN/MS-TURN messages and their framing; RTP, RTCP
  tcpconn    the TCP connection model
  wire       reading the frames back: IP, UDP, TCP, STUN messages, ChannelData
  sip        SIP dialogs and SDP
  tls        TLS records
  ice        ICE connectivity checks as WebRTC agents send them
  turn       an IETF TURN client and server (RFC 8656) over UDP or TCP
  models     session models: RFC 6062 TCP allocations, UDP flows, MS-TURN allocations
  models_ms  Microsoft's side: pseudo-TLS, MS-TURN flows, Skype Edge allocations
  relay      the truth of TURN relay sessions, computed from their frames read back
  output     writing a capture set and comparing it with a folder
The scenarios (scenarios/, one module per family) import building blocks,
never the other way round.  Standard library only.
"""
