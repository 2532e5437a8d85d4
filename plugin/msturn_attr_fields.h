/* msturn_attr_fields.h - the attribute fields (msturn_attr_fields.c, written
 * by tools/gen_attr_fields.py from the attribute table).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_ATTR_FIELDS_H
#define MSTURN_ATTR_FIELDS_H

#include "msturn.h"
#include "msturn_attr_table.h"

/* The most fields one value kind has (an address: family, port, IPv4, IPv6). */
#define MSTURN_ATTR_MAX_FIELDS 4

/* One row of an attribute table: its type (to check the order) and the ids
 * of its fields, in the order its value kind lists them; unused slots are
 * NULL. */
typedef struct {
    uint16_t type;
    int     *hf[MSTURN_ATTR_MAX_FIELDS];
} msturn_attr_hf;

/* Parallel to msturn_attr_ietf, msturn_attr_microsoft and msturn_attr_legacy. */
extern const msturn_attr_hf msturn_attr_hf_ietf[];
extern const msturn_attr_hf msturn_attr_hf_microsoft[];
extern const msturn_attr_hf msturn_attr_hf_legacy[];

/* Names of attribute types, for msturn.att.type in each dialect. */
extern const value_string msturn_att_type_vals[];
extern const value_string msturn_att_type_vals_ms[];

void msturn_attr_fields_register(int proto);

#endif
