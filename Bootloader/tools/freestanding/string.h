/* For the size build only (tools/size.sh): the four libc functions the core uses, without a libc. */
#ifndef BS_FREESTANDING_STRING_H
#define BS_FREESTANDING_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif
