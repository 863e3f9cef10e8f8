// The system zlib (Debian: zlib1g-dev): raw deflate and CRC-32 for the export's zip writer.
#include <zlib.h>

// deflateInit2 is a macro: raw deflate (no zlib header), as a zip entry stores it.
static inline int czlib_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
