# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Constants of the lab (RFC 5389 cookie, credentials, truth-file codes) and the deterministic byte source."""
import calendar
import hashlib
import struct


MAGIC_COOKIE = 0x2112A442          # RFC 5389 6
MS_MAGIC_COOKIE = 0x72C64BC6       # [MS-TURN] 2.2.2.6, value of attribute 0x000F
EDGE_IPV6 = "2001:db8:113::10"     # the Edge's IPv6 relay (MS-ALTERNATE-MAPPED-ADDRESS)
FINGERPRINT_XOR = 0x5354554E       # RFC 5389 15.5

# Long-term credentials of the lab (RFC 5389 15.4: key = MD5(user:realm:pass))
TURN_USER = "turn"
CLASSIC_USER = "lab3489u"                  # RFC 3489 11.2.6: a multiple of 4 bytes
CLASSIC_PASSWORD = "rfc3489-shared-secret"
ICE_SHA256_USER = "sha2"
ICE_SHA256_PASSWORD = "ice-sha256-lab-password"
TURN_REALM = "TANDBERG"
TURN_PASSWORD = "Expressway-lab-1"
WRONG_PASSWORD = "Expressway-lab-2"
NONCE_1 = "4e9d1c0a7b3f5e2d8c6a1b9f0e7d3c5a:1502957031:TANDBERG"
# Teams relays' nonces and reason phrases have any length: [MS-TURN] pads
# nothing, so these make odd attribute and message lengths.
NONCE_TEAMS = "a1b2c3d4e5f60718293a4b5c6d7e8f9a:1502958000:teams"
REASON_TEAMS_401 = "Unauthorized: the request did not carry valid credentials"
NONCE_2 = "c7a3e1f9b5d2084e6a1c3f7b9d0e2a4c:1502957091:TANDBERG"

# ICE short-term credentials (RFC 5245 7.1.2.3, [MS-ICE2] 3.1.4.8.1)
CMS_UFRAG, CMS_PWD = "AoVy", "cmsLabIcePassword4TcpTurn"
SKYPE_UFRAG, SKYPE_PWD = "l0MR", "skypeLabIcePwd+relay/2017"
# A WebRTC client and its peer checking through a TURN relay (RFC 8445 7.2.2:
# ufrag at least 4 characters, password at least 22)
RELAY_UFRAG, RELAY_PWD = "wRc7", "webrtcLabClientPwd/turn-relay"
PEER_UFRAG, PEER_PWD = "pE3r", "webrtcLabPeerPassword+relay8656"

SOFTWARE = "TANDBERG/4130 (X8.9.2)"

# Capture start: 2017-08-17 08:03:51.966175 UTC (the seed's first frame).
T0_US = calendar.timegm((2017, 8, 17, 8, 3, 51)) * 1000000 + 966175

# STUN / TURN attribute types used here.
A_MAPPED = 0x0001
A_USERNAME = 0x0006
A_MESSAGE_INTEGRITY = 0x0008
A_ERROR_CODE = 0x0009
A_MESSAGE_INTEGRITY_SHA256 = 0x001C  # RFC 8489 14.6
A_LIFETIME = 0x000D
A_MS_MAGIC_COOKIE = 0x000F        # [MS-TURN] 2.2.2.6
A_MS_BANDWIDTH = 0x0010           # [MS-TURN] 2.2.2.7
A_MS_DESTINATION = 0x0011         # [MS-TURN] 2.2.2.8
A_XOR_PEER = 0x0012               # RFC 5766 14.3; [MS-TURN] 2.2.2.9 Remote Address
A_DATA = 0x0013
A_REALM = 0x0014                  # RFC 5389 15.7
A_NONCE = 0x0015                  # RFC 5389 15.8
A_MS_NONCE = 0x0014               # [MS-TURN] 2.2.2: Nonce is 0x0014 ...
A_MS_REALM = 0x0015               # ... and Realm 0x0015
A_XOR_RELAYED = 0x0016
A_REQ_FAMILY = 0x0017             # RFC 6156 4.1.1
A_REQ_TRANSPORT = 0x0019
A_XOR_MAPPED = 0x0020
A_PRIORITY = 0x0024
A_USE_CANDIDATE = 0x0025
A_CONNECTION_ID = 0x002A          # RFC 6062 6.2.1
A_MS_VERSION = 0x8008             # [MS-TURN] 2.2.2.17
A_MS_XOR_MAPPED = 0x8020          # [MS-TURN] 2.2.2.16
A_SOFTWARE = 0x8022
A_FINGERPRINT = 0x8028
A_ICE_CONTROLLED = 0x8029
A_ICE_CONTROLLING = 0x802A
A_MS_ALT_HOST_NAME = 0x8032       # [MS-TURN] 2.2.2.x
A_MS_APP_ID = 0x8037
A_MS_SECURE_TAG = 0x8039
A_MS_SEQUENCE_NUMBER = 0x8050     # [MS-TURN] 2.2.2.19
A_CANDIDATE_ID = 0x8054           # [MS-ICE2] candidate identifier
A_MS_SERVICE_QUALITY = 0x8055     # [MS-TURN] 2.2.2.22
A_BW_ACM = 0x8056                 # [MS-TURNBWM] 2.2.1
A_BW_RSV_ID = 0x8057              # [MS-TURNBWM] 2.2.2
A_BW_RSV_AMOUNT = 0x8058          # [MS-TURNBWM] 2.2.3
A_REMOTE_SITE = 0x8059            # [MS-TURNBWM] 2.2.4
A_REMOTE_RELAY_SITE = 0x805A      # [MS-TURNBWM] 2.2.5
A_LOCAL_SITE = 0x805B             # [MS-TURNBWM] 2.2.6
A_LOCAL_RELAY_SITE = 0x805C       # [MS-TURNBWM] 2.2.7
A_REMOTE_SITE_RSP = 0x805D        # [MS-TURNBWM] 2.2.8
A_REMOTE_RELAY_SITE_RSP = 0x805E  # [MS-TURNBWM] 2.2.9
A_LOCAL_SITE_RSP = 0x805F         # [MS-TURNBWM] 2.2.10
A_LOCAL_RELAY_SITE_RSP = 0x8060   # [MS-TURNBWM] 2.2.11
A_SIP_DIALOG_ID = 0x8061          # [MS-TURNBWM] 2.2.12
A_SIP_CALL_ID = 0x8062            # [MS-TURNBWM] 2.2.13
A_LOCATION_PROFILE = 0x8068       # [MS-TURNBWM] 2.2.14
A_MS_IMPL_VERSION = 0x8070        # [MS-ICE2] implementation version
A_MS_ALT_MAPPED = 0x8090          # [MS-TURN] 2.2.2.x
A_MS_MUX_SESSION_ID = 0x8095      # [MS-TURN] 2.2.2.x

# Message types (RFC 5389 6: method and class bits interleaved).
BINDING_REQ, BINDING_IND, BINDING_OK = 0x0001, 0x0011, 0x0101
BINDING_ERR = 0x0111
ALLOCATE_REQ, ALLOCATE_OK, ALLOCATE_ERR = 0x0003, 0x0103, 0x0113
REFRESH_REQ, REFRESH_OK, REFRESH_ERR = 0x0004, 0x0104, 0x0114
CREATEPERM_REQ, CREATEPERM_OK, CREATEPERM_ERR = 0x0008, 0x0108, 0x0118
CONNECT_REQ, CONNECT_OK, CONNECT_ERR = 0x000A, 0x010A, 0x011A
CONNBIND_REQ, CONNBIND_OK, CONNBIND_ERR = 0x000B, 0x010B, 0x011B
CONNATTEMPT_IND = 0x001C
# [MS-TURN] 2.2.1 whole message types
MS_SEND_REQ, MS_DATA_IND = 0x0004, 0x0115
MS_SETACTIVE_REQ, MS_SETACTIVE_OK = 0x0006, 0x0106

MS_SETACTIVE_ERR = 0x0116

# Truth file framing codes (test-captures/README.md)
F_RAW, F_4571, F_MS_CTL, F_MS_DATA, F_CHANNEL = 0, 1, 2, 3, 4
F_MUX, F_IN_DATA = 5, 6           # [MS-TURN] 2.2.3 multiplexed; inside a DATA attribute
MUX_CHANNEL = 0xFF10              # [MS-TURN] 2.2.3 Channel_ID

ERROR_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 437: "Allocation Mismatch",
    438: "Stale Nonce", 446: "Connection Already Exists",
    447: "Connection Timeout or Failure", 486: "Allocation Quota Reached",
    508: "Insufficient Capacity",
}


def long_term_key(password=TURN_PASSWORD, user=TURN_USER, realm=TURN_REALM):
    """RFC 5389 15.4: key = MD5(username ":" realm ":" SASLprep(password))."""
    return hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode()).digest()


class Det:
    """Deterministic byte source: SHA-256 of a label and a counter."""

    def __init__(self, label):
        self.label = label.encode()
        self.n = 0

    def bytes(self, n):
        out = b""
        while len(out) < n:
            self.n += 1
            out += hashlib.sha256(self.label + b":" + str(self.n).encode()).digest()
        return out[:n]

    def u32(self):
        return struct.unpack("!I", self.bytes(4))[0]

    def below(self, n):
        return self.u32() % n
