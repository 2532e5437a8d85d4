/* msturn_methods.h - STUN/TURN methods, classes and Microsoft message types.
 * Pure data and lookups; no epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_METHODS_H
#define MSTURN_METHODS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint16_t    code;
    const char *name;
    const char *spec;
} msturn_name_def;

/* IETF methods (RFC 8489 18.2, RFC 8656 17, RFC 6062 6.1) by method number. */
extern const msturn_name_def msturn_methods[];
extern const size_t msturn_methods_count;
/* Classes, RFC 8489 5. */
extern const msturn_name_def msturn_classes[];
extern const size_t msturn_classes_count;
/* Microsoft message types by whole 16-bit type ([MS-TURN] 2.2.1).  They are
 * types of draft-era TURN, not IETF method/class pairs: 0x0115 Data
 * Indication would read as an error response of method 0x005, 0x0004 Send
 * as a Refresh request.  Each row says which class the type really is and
 * the IETF method it shares, or MSTURN_METHOD_NONE where there is none. */
typedef struct {
    uint16_t    type;
    const char *name;
    unsigned    method;
    unsigned    cls;
    const char *spec;
} msturn_ms_type_def;

extern const msturn_ms_type_def msturn_ms_types[];
extern const size_t msturn_ms_types_count;
const msturn_ms_type_def *msturn_ms_type_lookup(uint16_t type);

enum {
    MSTURN_CLASS_REQUEST    = 0,
    MSTURN_CLASS_INDICATION = 1,
    MSTURN_CLASS_SUCCESS    = 2,
    MSTURN_CLASS_ERROR      = 3
};

enum {
    MSTURN_METHOD_NONE               = 0xFFFF, /* a Microsoft type with no IETF method */
    MSTURN_METHOD_BINDING            = 0x001,
    MSTURN_METHOD_ALLOCATE           = 0x003,
    MSTURN_METHOD_REFRESH            = 0x004,
    MSTURN_METHOD_SEND               = 0x006,
    MSTURN_METHOD_DATA               = 0x007,
    MSTURN_METHOD_CREATE_PERMISSION  = 0x008,
    MSTURN_METHOD_CHANNEL_BIND       = 0x009,
    MSTURN_METHOD_CONNECT            = 0x00a,
    MSTURN_METHOD_CONNECTION_BIND    = 0x00b,
    MSTURN_METHOD_CONNECTION_ATTEMPT = 0x00c
};

const char *msturn_name_lookup(const msturn_name_def *rows, size_t n, uint16_t code);

#endif
