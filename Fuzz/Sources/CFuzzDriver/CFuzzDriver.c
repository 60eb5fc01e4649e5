// Declarations only (include/CFuzzDriver.h); the driver itself is in libclang_rt.fuzzer.
#include "CFuzzDriver.h"
