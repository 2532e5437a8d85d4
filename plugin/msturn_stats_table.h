/* msturn_stats_table.h - what msturn's statistics tables share: rows found
 * by a key, cells set and freed, the table made or emptied again.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_STATS_TABLE_H
#define MSTURN_STATS_TABLE_H

#include "msturn_session_model.h"

#include <epan/stat_tap_ui.h>

/* The table named name of ui: made on the first tap, emptied on a retap
 * (a dialog that applies its display filter again). */
void msturn_table_init(stat_tap_table_ui *ui, const char *name, unsigned n_cols);

/* The row of key (made blank, first cell the uint first, if new), in the
 * order keys first came. */
unsigned msturn_table_row(stat_tap_table *t, unsigned key, const stat_tap_table_item *columns,
                          unsigned first);
/* The row of key, or -1 if the table has none. */
int      msturn_table_find(stat_tap_table *t, unsigned key);

/* Cells: a string the table owns from then on (g_malloc'd), numbers. */
void msturn_table_set_string(stat_tap_table *t, unsigned row, unsigned col, char *owned);
void msturn_table_set_uint(stat_tap_table *t, unsigned row, unsigned col, unsigned val);
void msturn_table_set_float(stat_tap_table *t, unsigned row, unsigned col, double val);

/* The stat_tap_table_ui callbacks that empty a table and free a cell. */
void msturn_table_reset(stat_tap_table *t);
void msturn_table_free_item(stat_tap_table *t, unsigned row, unsigned col,
                            stat_tap_table_item_type *field);
/* register_cleanup_routine: the row maps go with the file. */
void msturn_table_cleanup(void);

/* "ip:port", "[ip]:port", or "" for no address (g_malloc'd). */
char *msturn_endpoint_text(const msturn_endpoint *e);

#endif
