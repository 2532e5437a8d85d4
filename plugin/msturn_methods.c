/* msturn_methods.c - names of methods, classes and Microsoft message types.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_methods.h"

const msturn_name_def msturn_methods[] = {
    { 0x001, "Binding",           "RFC 8489 18.2" },
    { 0x002, "SharedSecret",      "RFC 3489 11.1" },
    { 0x003, "Allocate",          "RFC 8656 17" },
    { 0x004, "Refresh",           "RFC 8656 17" },
    { 0x006, "Send",              "RFC 8656 17" },
    { 0x007, "Data",              "RFC 8656 17" },
    { 0x008, "CreatePermission",  "RFC 8656 17" },
    { 0x009, "ChannelBind",       "RFC 8656 17" },
    { 0x00a, "Connect",           "RFC 6062 6.1" },
    { 0x00b, "ConnectionBind",    "RFC 6062 6.1" },
    { 0x00c, "ConnectionAttempt", "RFC 6062 6.1" },
    { 0x080, "GOOG-PING",         "IANA STUN methods" },
};
const size_t msturn_methods_count = sizeof msturn_methods / sizeof msturn_methods[0];

const msturn_name_def msturn_classes[] = {
    { MSTURN_CLASS_REQUEST,    "Request",          "RFC 8489 5" },
    { MSTURN_CLASS_INDICATION, "Indication",       "RFC 8489 5" },
    { MSTURN_CLASS_SUCCESS,    "Success Response", "RFC 8489 5" },
    { MSTURN_CLASS_ERROR,      "Error Response",   "RFC 8489 5" },
};
const size_t msturn_classes_count = sizeof msturn_classes / sizeof msturn_classes[0];

/* [MS-TURN] 2.2.1 gives whole message types; several collide with IETF
 * method/class combinations (0x0004 is Refresh Request in RFC 8656), so they
 * apply only to messages in Microsoft's dialect (MAGIC-COOKIE first). */
#define N MSTURN_METHOD_NONE
const msturn_ms_type_def msturn_ms_types[] = {
    { 0x0001, "Binding Request",                       MSTURN_METHOD_BINDING,  MSTURN_CLASS_REQUEST,    "MS-TURN 2.2.1" },
    { 0x0002, "Shared Secret Request",                 0x002,                  MSTURN_CLASS_REQUEST,    "MS-TURN 2.2.1" },
    { 0x0003, "Allocate Request",                      MSTURN_METHOD_ALLOCATE, MSTURN_CLASS_REQUEST,    "MS-TURN 2.2.1" },
    { 0x0004, "Send Request",                          N,                      MSTURN_CLASS_REQUEST,    "MS-TURN 2.2.1" },
    { 0x0006, "Set Active Destination Request",        N,                      MSTURN_CLASS_REQUEST,    "MS-TURN 2.2.1" },
    { 0x0101, "Binding Response",                      MSTURN_METHOD_BINDING,  MSTURN_CLASS_SUCCESS,    "MS-TURN 2.2.1" },
    { 0x0102, "Shared Secret Response",                0x002,                  MSTURN_CLASS_SUCCESS,    "MS-TURN 2.2.1" },
    { 0x0103, "Allocate Response",                     MSTURN_METHOD_ALLOCATE, MSTURN_CLASS_SUCCESS,    "MS-TURN 2.2.1" },
    { 0x0104, "Send Response",                         N,                      MSTURN_CLASS_SUCCESS,    "MS-TURN 2.2.1" },
    { 0x0106, "Set Active Destination Response",       N,                      MSTURN_CLASS_SUCCESS,    "MS-TURN 2.2.1" },
    { 0x0111, "Binding Error Response",                MSTURN_METHOD_BINDING,  MSTURN_CLASS_ERROR,      "MS-TURN 2.2.1" },
    { 0x0112, "Shared Secret Error Response",          0x002,                  MSTURN_CLASS_ERROR,      "MS-TURN 2.2.1" },
    { 0x0113, "Allocate Error Response",               MSTURN_METHOD_ALLOCATE, MSTURN_CLASS_ERROR,      "MS-TURN 2.2.1" },
    { 0x0114, "Send Error Response",                   N,                      MSTURN_CLASS_ERROR,      "MS-TURN 2.2.1" },
    { 0x0115, "Data Indication",                       N,                      MSTURN_CLASS_INDICATION, "MS-TURN 2.2.1" },
    { 0x0116, "Set Active Destination Error Response", N,                      MSTURN_CLASS_ERROR,      "MS-TURN 2.2.1" },
};
#undef N
const size_t msturn_ms_types_count = sizeof msturn_ms_types / sizeof msturn_ms_types[0];

const msturn_ms_type_def *
msturn_ms_type_lookup(uint16_t type)
{
    size_t i;
    for (i = 0; i < msturn_ms_types_count; i++)
        if (msturn_ms_types[i].type == type)
            return &msturn_ms_types[i];
    return NULL;
}

const char *
msturn_name_lookup(const msturn_name_def *rows, size_t n, uint16_t code)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (rows[i].code == code)
            return rows[i].name;
    return NULL;
}
