/* stun_mutator.h - a libFuzzer custom mutator that knows STUN's layout.
 *
 * Random byte mutations rarely keep a STUN message's length fields true, so
 * most mutated inputs stop at the framing check and the attribute decoders,
 * the dialect switch and the session model are seldom reached.  Half of the
 * time this mutator edits one message instead (its type, one attribute's
 * type, value, presence or order, a MAGIC-COOKIE first or not, RFC 4571,
 * [MS-TURN] 2.1.4 or ChannelData framing around it; or it makes it a
 * CreatePermission, ChannelBind, Send or Data indication naming many peers,
 * or nests it in a Send or Data indication) and writes every length again;
 * the other half it leaves to libFuzzer's own mutations.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_STUN_MUTATOR_H
#define MSTURN_STUN_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's default mutation (LLVMFuzzerMutate). */
typedef size_t (*msturn_default_mutate)(uint8_t *data, size_t size, size_t max_size);

/* Mutate data (size bytes, room for max_size) in place; returns the new size.
 * chunked: the input is fuzz_dissector's sequence of (control, length,
 * payload) chunks, and one chunk's payload is edited; otherwise the whole
 * input is one TCP stream and one message in it is. */
size_t msturn_stun_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
                          int chunked, msturn_default_mutate fallback);

#endif
