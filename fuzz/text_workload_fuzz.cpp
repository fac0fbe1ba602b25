// Fuzz target: the ASTRA-sim text workload reader and converter, with 1 and 2 passes. Any input
// must give a well-formed node graph or throw astra::InputError. Build: see
// fuzz/driver/standalone_driver.cpp (g++ driver or clang libFuzzer).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "host/input/parsers.hpp"

namespace {

void check_graph(const astra::Workload& w) {
  ASTRA_FUZZ_CHECK(!w.nodes.empty());
  ASTRA_FUZZ_CHECK(w.node_names.size() == w.nodes.size());
  ASTRA_FUZZ_CHECK(!w.layer_names.empty());
  std::size_t next = 0;
  for (std::size_t i = 0; i < w.nodes.size(); ++i) {
    const astra::WorkloadNode& n = w.nodes[i];
    ASTRA_FUZZ_CHECK(n.deps_begin >= 0 && static_cast<std::size_t>(n.deps_begin) == next);
    ASTRA_FUZZ_CHECK(n.deps_count >= 0);
    next += static_cast<std::size_t>(n.deps_count);
    ASTRA_FUZZ_CHECK(next <= w.deps.size());
    for (std::int32_t k = 0; k < n.deps_count; ++k) {
      const std::int32_t d = w.deps[static_cast<std::size_t>(n.deps_begin + k)];
      ASTRA_FUZZ_CHECK(d >= 0 && static_cast<std::size_t>(d) < i);  // parents come first: a DAG
    }
    ASTRA_FUZZ_CHECK(n.layer >= 0 && static_cast<std::size_t>(n.layer) < w.layer_names.size());
  }
  ASTRA_FUZZ_CHECK(next == w.deps.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int passes : {1, 2}) {
    try {
      const astra::Workload w = astra::parse_text_workload(text, "fuzz.txt", passes);
      check_graph(w);
    } catch (const astra::InputError& e) {
      ASTRA_FUZZ_CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  }
  return 0;
}
