/* msturn_stats.h - the sessions statistics table. */
#ifndef MSTURN_STATS_H
#define MSTURN_STATS_H

void msturn_stats_register(void);

#endif
