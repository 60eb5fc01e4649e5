#ifndef BATCHTOP_CFUZZDRIVER_H
#define BATCHTOP_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (libclang_rt.fuzzer), called from a Swift `@main` instead of libFuzzer's own `main`:
/// SwiftPM links every executable target with `main` aliased to `<Target>_main`, so the fuzz targets
/// provide that entry point and hand over to the driver with their `LLVMFuzzerTestOneInput`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
