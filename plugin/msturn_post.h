/* msturn_post.h - msturn's one post-dissector (msturn_post.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_POST_H
#define MSTURN_POST_H

void msturn_post_register(int proto);

#endif
