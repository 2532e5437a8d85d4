/* msturn_stats_table.c - the cells and rows of msturn's statistics tables
 * (sessions, peers): stat_tap_table is a plain array of rows; msturn finds
 * a row by its key and formats a row only when what it shows changed.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_stats_table.h"

#include <epan/to_str.h>
#include <string.h>

/* Each table's rows by key: a filtered table (-z msturn,sessions,FILTER or
 * the dialog's filter) holds only the keys whose frames matched, in the
 * order they first did.  Rows name sessions of the open file, so the maps
 * live in file scope and go with it. */
static wmem_map_t *rows_by_table;   /* stat_tap_table * -> wmem_map (key -> row + 1) */

void
msturn_table_cleanup(void)
{
    rows_by_table = NULL;           /* freed with the file scope */
}

/* The table is emptied or freed: its rows are forgotten. */
static void
forget_rows(stat_tap_table *t)
{
    if (rows_by_table != NULL)
        wmem_map_remove(rows_by_table, t);
}

static wmem_map_t *
rows_of(stat_tap_table *t)
{
    wmem_map_t *m;
    if (rows_by_table == NULL)
        rows_by_table = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    m = (wmem_map_t *)wmem_map_lookup(rows_by_table, t);
    if (m == NULL) {
        m = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
        wmem_map_insert(rows_by_table, t, m);
    }
    return m;
}

void
msturn_table_init(stat_tap_table_ui *ui, const char *name, unsigned n_cols)
{
    stat_tap_table *t = stat_tap_find_table(ui, name);

    if (t != NULL) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(t);
        return;
    }
    t = stat_tap_init_table(name, (int)n_cols, 0, NULL);
    stat_tap_add_table(ui, t);
}

int
msturn_table_find(stat_tap_table *t, unsigned key)
{
    unsigned row = GPOINTER_TO_UINT(wmem_map_lookup(rows_of(t), GUINT_TO_POINTER(key)));
    return row ? (int)row - 1 : -1;
}

unsigned
msturn_table_row(stat_tap_table *t, unsigned key, const stat_tap_table_item *columns, unsigned first)
{
    int found = msturn_table_find(t, key);
    stat_tap_table_item_type *blank;
    unsigned i, row;

    if (found >= 0)
        return (unsigned)found;
    blank = g_new0(stat_tap_table_item_type, t->num_fields);
    for (i = 0; i < t->num_fields; i++) {
        blank[i].type = columns[i].type;
        if (columns[i].type == TABLE_ITEM_STRING)
            blank[i].value.string_value = g_strdup("");
    }
    blank[0].value.uint_value = first;
    row = t->num_elements;
    stat_tap_init_table_row(t, row, t->num_fields, blank);
    g_free(blank);
    wmem_map_insert(rows_of(t), GUINT_TO_POINTER(key), GUINT_TO_POINTER(row + 1));
    return row;
}

void
msturn_table_set_string(stat_tap_table *t, unsigned row, unsigned col, char *owned)
{
    stat_tap_table_item_type *old = stat_tap_get_field_data(t, row, col);
    stat_tap_table_item_type v;

    if (old && old->type == TABLE_ITEM_STRING)
        g_free((char *)old->value.string_value);
    v.type = TABLE_ITEM_STRING;
    v.value.string_value = owned;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

void
msturn_table_set_uint(stat_tap_table *t, unsigned row, unsigned col, unsigned val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_UINT;
    v.value.uint_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

void
msturn_table_set_float(stat_tap_table *t, unsigned row, unsigned col, double val)
{
    stat_tap_table_item_type v;
    v.type = TABLE_ITEM_FLOAT;
    v.value.float_value = val;
    v.user_data.ptr_value = NULL;
    stat_tap_set_field_data(t, row, col, &v);
}

void
msturn_table_reset(stat_tap_table *t)
{
    unsigned row, col;
    for (row = 0; row < t->num_elements; row++)
        for (col = 0; col < t->num_fields; col++) {
            stat_tap_table_item_type *v = stat_tap_get_field_data(t, row, col);
            if (v->type == TABLE_ITEM_STRING) {
                g_free((char *)v->value.string_value);
                v->value.string_value = NULL;
            }
        }
    t->num_elements = 0;
    forget_rows(t);
}

void
msturn_table_free_item(stat_tap_table *t, unsigned row, unsigned col, stat_tap_table_item_type *field)
{
    /* free_stat_tables() calls this for every cell of a table it frees:
     * the first cell stands for the table. */
    if (row == 0 && col == 0)
        forget_rows(t);
    if (field->type == TABLE_ITEM_STRING) {
        g_free((char *)field->value.string_value);
        field->value.string_value = NULL;
    }
}

char *
msturn_endpoint_text(const msturn_endpoint *e)
{
    char *a, *t;
    if (e->addr.type == AT_NONE)    /* a signalling-only row has no TURN server */
        return g_strdup("");
    a = address_to_str(NULL, &e->addr);
    t = e->addr.type == AT_IPv6 ? g_strdup_printf("[%s]:%u", a, e->port)
                                : g_strdup_printf("%s:%u", a, e->port);
    wmem_free(NULL, a);
    return t;
}
