/* msturn_sip.h - the presentation's SIP dialog, read from the SIP messages
 * of the frames Wireshark's SIP dissector decoded. */
#ifndef MSTURN_SIP_H
#define MSTURN_SIP_H

#include "msturn.h"

void msturn_sip_register(int proto, module_t *module);
void msturn_sip_handoff(void);

#endif
