// Running ../shared/oracle (a Python program, a test tool only) from a test: whether python3 is
// there, and a command's standard output.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace astra::testing_support {

inline bool have_python3() { return std::system("python3 -c 'import json' >/dev/null 2>&1") == 0; }

inline std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace astra::testing_support
