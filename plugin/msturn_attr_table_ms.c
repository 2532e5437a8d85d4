/* Microsoft attribute rows (being completed). */
#include "msturn_attr_table.h"

const msturn_attr_def msturn_attr_microsoft[] = {
    { 0x8008, "MS-VERSION", "ms_version", "MS-TURN 2.2.2.17", MSTURN_VK_UINT32, NULL },
    { 0x8054, "CANDIDATE-IDENTIFIER", "candidate_id", "MS-ICE2 2.2.2.3", MSTURN_VK_OPAQUE, NULL },
    { 0x8070, "MS-IMPLEMENTATION-VERSION", "ms_impl_version", "MS-ICE2 2.2.2.2", MSTURN_VK_UINT32, NULL },
};
const size_t msturn_attr_microsoft_count = sizeof msturn_attr_microsoft / sizeof msturn_attr_microsoft[0];

const msturn_attr_def msturn_attr_legacy[] = {
    { 0x000F, "MAGIC-COOKIE", "magic_cookie", "MS-TURN 2.2.2.6", MSTURN_VK_MAGIC_COOKIE, NULL },
};
const size_t msturn_attr_legacy_count = sizeof msturn_attr_legacy / sizeof msturn_attr_legacy[0];
