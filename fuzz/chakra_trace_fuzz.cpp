// Fuzz target: the Chakra trace reader (wire decoder, per-rank checks, cross-rank matching). The
// input is read as a one-rank set, and split in two at a point its first byte picks as a two-rank
// set. Any input must give a well-formed acyclic node graph or throw astra::InputError with one line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/input_error.hpp"

namespace {

void check_graph(const astra::Workload& w) {
  const std::size_t n = w.nodes.size();
  ASTRA_FUZZ_CHECK(n > 0);
  ASTRA_FUZZ_CHECK(w.node_names.size() == n && w.layer_names.size() == n);
  std::size_t next = 0;
  std::vector<std::int32_t> left(n, 0);
  std::vector<std::vector<std::int32_t>> children(n);
  for (std::size_t i = 0; i < n; ++i) {
    const astra::WorkloadNode& node = w.nodes[i];
    ASTRA_FUZZ_CHECK(node.deps_begin >= 0 && static_cast<std::size_t>(node.deps_begin) == next);
    ASTRA_FUZZ_CHECK(node.deps_count >= 0);
    next += static_cast<std::size_t>(node.deps_count);
    ASTRA_FUZZ_CHECK(next <= w.deps.size());
    ASTRA_FUZZ_CHECK(node.layer == static_cast<std::int32_t>(i));
    if (node.kind == astra::NodeKind::Compute) ASTRA_FUZZ_CHECK(node.duration_us <= 9223372036854775ULL);
    for (std::int32_t k = 0; k < node.deps_count; ++k) {
      const std::int32_t d = w.deps[static_cast<std::size_t>(node.deps_begin + k)];
      ASTRA_FUZZ_CHECK(d >= 0 && static_cast<std::size_t>(d) < n && d != static_cast<std::int32_t>(i));
      for (std::int32_t j = 0; j < k; ++j) ASTRA_FUZZ_CHECK(w.deps[static_cast<std::size_t>(node.deps_begin + j)] != d);
      children[static_cast<std::size_t>(d)].push_back(static_cast<std::int32_t>(i));
    }
    left[i] = node.deps_count;
  }
  ASTRA_FUZZ_CHECK(next == w.deps.size());
  std::vector<std::int32_t> queue;  // acyclic: Kahn's algorithm reaches every node
  for (std::size_t i = 0; i < n; ++i)
    if (left[i] == 0) queue.push_back(static_cast<std::int32_t>(i));
  for (std::size_t q = 0; q < queue.size(); ++q)
    for (std::int32_t c : children[static_cast<std::size_t>(queue[q])])
      if (--left[static_cast<std::size_t>(c)] == 0) queue.push_back(c);
  ASTRA_FUZZ_CHECK(queue.size() == n);
}

void try_set(const std::vector<std::string>& files) {
  try {
    std::vector<astra::chakra::ChakraTrace> ranks;
    for (std::size_t r = 0; r < files.size(); ++r)
      ranks.push_back(astra::chakra::parse_chakra_trace(files[r], "fuzz." + std::to_string(r) + ".et"));
    check_graph(astra::chakra::chakra_workload_from_traces(ranks, "fuzz"));
  } catch (const astra::InputError& e) {
    ASTRA_FUZZ_CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try_set({bytes});
  if (size > 1) {
    const std::size_t cut = 1 + static_cast<std::size_t>(data[0]) * (size - 1) / 255;
    try_set({bytes.substr(1, cut - 1), bytes.substr(cut)});
  }
  return 0;
}
