# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Every lab capture, one function each, grouped by family.

A scenario is a function of a Capture, registered with @scenario(name) in
base.py; it draws its capture's ladder with the building blocks of the
package (hosts, TCP connections, STUN messages, session models) and says
what the truth and sessions files expect.  The families are imported in a
fixed order: it is the order of test-captures/README.md.
"""
from . import rfc6062, tcp, teams, skype, sip, attributes, relayed, turn_relay, negative  # noqa: F401  (they register)
from .base import SCENARIOS

__all__ = ["SCENARIOS"]
