// For the fuzz targets: a failed invariant on an accepted input is a bug (a silently wrong
// answer), reported as an exception that is not astra::InputError, so both the standalone
// driver and libFuzzer (as an uncaught exception) flag it.
#pragma once

#include <stdexcept>
#include <string>

#define ASTRA_FUZZ_CHECK(cond)                                                               \
  do {                                                                                       \
    if (!(cond)) throw std::logic_error(std::string("fuzz invariant failed: ") + #cond);      \
  } while (0)
