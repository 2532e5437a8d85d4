/* msturn_post.h - msturn's one post-dissector (msturn_post.c). */
#ifndef MSTURN_POST_H
#define MSTURN_POST_H

void msturn_post_register(int proto);

#endif
