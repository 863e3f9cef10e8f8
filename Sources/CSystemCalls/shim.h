// Linux calls that Glibc's Swift module does not declare (they need _GNU_SOURCE or <malloc.h>),
// wrapped with their C signatures. Elsewhere the wrappers report "not available".
#ifndef CSYSTEMCALLS_SHIM_H
#define CSYSTEMCALLS_SHIM_H

#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <malloc.h>
#include <unistd.h>

/// syncfs(2): flush the file system holding `descriptor`. -1 with errno on failure.
static inline int csys_syncfs(int descriptor) { return syncfs(descriptor); }
/// mallopt(M_ARENA_MAX, count): 1 on success.
static inline int csys_set_malloc_arena_max(int count) { return mallopt(M_ARENA_MAX, count); }
/// malloc_trim(pad): returns freed memory to the system; 1 when some was.
static inline int csys_malloc_trim(unsigned long pad) { return malloc_trim(pad); }
#else
#include <errno.h>
static inline int csys_syncfs(int descriptor) { (void)descriptor; errno = ENOSYS; return -1; }
static inline int csys_set_malloc_arena_max(int count) { (void)count; return 0; }
static inline int csys_malloc_trim(unsigned long pad) { (void)pad; return 0; }
#endif

#endif
