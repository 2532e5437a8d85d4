/* msturn_sip.h - the presentation's SIP dialog, read from the fields that
 * Wireshark's own SIP and SDP dissectors put in the tree. */
#ifndef MSTURN_SIP_H
#define MSTURN_SIP_H

#include "msturn.h"

void msturn_sip_register(int proto, module_t *module);
void msturn_sip_handoff(void);

#endif
