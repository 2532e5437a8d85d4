/* msturn_error_table.h - STUN error codes and their names.
 *
 * One table for every code a STUN, TURN, ICE or Microsoft agent sends in an
 * ERROR-CODE or ADDRESS-ERROR-CODE attribute, and a short table of the codes
 * whose meaning in Microsoft's legacy dialect ([MS-TURN] 2.2.2.6) differs.
 *
 * Pure data: no epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_ERROR_TABLE_H
#define MSTURN_ERROR_TABLE_H

#include <stddef.h>

#include "msturn_attr_table.h"

/* Sorted by code, ended by a NULL name. */
extern const msturn_value_name msturn_error_names[];

/* The name of an error code; microsoft: the message is in Microsoft's
 * dialect, whose own meanings come first.  NULL for a code nobody defined. */
const char *msturn_error_name(unsigned code, int microsoft);

#endif
