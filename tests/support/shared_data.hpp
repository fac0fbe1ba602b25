// ../shared beside the repository (ASTRA-sim's golden runs, measured tables, the oracle): where
// it is, and the one way a unit test that needs it skips when a clone has none.
//
//   ASTRA_NEEDS_SHARED("golden/cases.jsonl");   // first statement of the test
//   const std::string cases = shared_path("golden/cases.jsonl");
//
// The skip message names the missing path. ASTRA_SHARED_DIR in the environment overrides the
// folder compiled in (ctest's `shared.absent` runs every unit test with an empty folder to prove
// that each test that needs it skips instead of failing).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace astra::testing_support {

[[nodiscard]] inline std::string shared_dir() {
  if (const char* env = std::getenv("ASTRA_SHARED_DIR"); env && *env) return env;
  return ASTRA_SHARED_DIR;
}

[[nodiscard]] inline std::string shared_path(std::string_view relative) {
  return shared_dir() + "/" + std::string(relative);
}

[[nodiscard]] inline bool have_shared(std::string_view relative) {
  std::error_code ec;
  return std::filesystem::exists(shared_path(relative), ec);
}

}  // namespace astra::testing_support

#define ASTRA_NEEDS_SHARED(relative)                                                                  \
  if (!::astra::testing_support::have_shared(relative))                                                      \
  GTEST_SKIP() << "needs ../shared/" << (relative) << " beside the repository ("                      \
               << ::astra::testing_support::shared_path(relative) << " is absent)"
