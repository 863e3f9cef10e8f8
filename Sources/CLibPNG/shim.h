// The system libpng (Debian: libpng-dev). Only the "simplified" API is used: it reports errors
// through return values instead of longjmp, which Swift cannot survive.
#include <png.h>

static inline png_uint_32 cpng_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline png_uint_32 cpng_version(void) { return PNG_IMAGE_VERSION; }
static inline int cpng_failed(const png_image *image) { return PNG_IMAGE_FAILED(*image); }
