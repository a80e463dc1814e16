#ifndef CHEAPSTATS_H
#define CHEAPSTATS_H
#include <stddef.h>

/// Bytes currently allocated with malloc and not freed (glibc's mallinfo2().uordblks).
/// Swift's Glibc module does not export <malloc.h>, so the memory check reads it here.
size_t bus_heap_bytes_in_use(void);

#endif
