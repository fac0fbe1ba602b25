// Reads a trace set, matches point-to-point pairs across ranks and checks that every rank runs
// rank 0's graph; the Workload keeps rank 0's node names (one per-layer row per node).
#include "host/input/chakra/chakra_workload.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "host/input/chakra/chakra_rank_graph.hpp"
#include "host/input/file_text.hpp"
#include "host/input/json_values.hpp"
#include "host/input/input_error.hpp"
#include "host/input/quoted_text.hpp"
#include "kernels/model/names.hpp"

namespace astra::chakra {

void check_roofline_off(const Workload& workload, const std::string& system_path) {
  if (!workload.roofline_inputs || system_path.empty()) return;
  const nlohmann::json j = nlohmann::json::parse(read_input_file(system_path), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("roofline-enabled")) return;  // the parser reports bad files
  if (!json_switch(j["roofline-enabled"], system_path, "roofline-enabled")) return;
  throw InputError(system_path, "roofline-enabled",
                   "is 1 and the Chakra trace " + workload.source +
                       " has COMP nodes with num_ops/tensor_size, which ASTRA-sim then times by its roofline model; "
                       "astra-sweep does not model the roofline yet: set roofline-enabled to 0 to use duration_micros");
}

namespace fs = std::filesystem;

namespace {

// "<stem>.<digits>.et" -> stem, else empty.
std::string rank_file_stem(const std::string& name) {
  if (name.size() < 5 || name.compare(name.size() - 3, 3, ".et") != 0) return {};
  std::size_t i = name.size() - 3;
  std::size_t digits = 0;
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') --i, ++digits;
  if (digits == 0 || i < 2 || name[i - 1] != '.') return {};
  return name.substr(0, i - 1);
}

// Every send must meet a receive on its destination with the same source and tag (in node order),
// of the same size; ASTRA-sim would otherwise wait forever on the unmatched one.
void match_point_to_point(const std::vector<std::string>& files, const std::vector<std::vector<PointToPoint>>& p2p) {
  using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>;  // src, dst, tag
  std::map<Key, std::vector<std::pair<std::uint32_t, const PointToPoint*>>> sends, recvs;  // rank of the file
  for (std::uint32_t r = 0; r < p2p.size(); ++r)
    for (const auto& p : p2p[r]) {
      const std::uint32_t peer = p.send ? p.dst : p.src;
      if (peer >= p2p.size())
        throw InputError(files[r], "node " + std::to_string(p.node_id),
                         std::string(p.send ? "COMM_SEND to" : "COMM_RECV from") + " rank " + std::to_string(peer) +
                             ", but the trace set has " + std::to_string(p2p.size()) + " ranks");
      (p.send ? sends : recvs)[{p.src, p.dst, p.tag}].push_back({r, &p});
    }
  auto unmatched = [&](std::uint32_t r, const PointToPoint& p) {
    throw InputError(files[r], "node " + std::to_string(p.node_id),
                     std::string(p.send ? "COMM_SEND to rank " + std::to_string(p.dst) : "COMM_RECV from rank " + std::to_string(p.src)) +
                         " with comm_tag " + std::to_string(p.tag) + " has no matching " +
                         (p.send ? "COMM_RECV in rank " + std::to_string(p.dst) : "COMM_SEND in rank " + std::to_string(p.src)) +
                         "'s trace (ASTRA-sim would wait for it forever)");
  };
  for (const auto& [key, list] : sends) {
    const auto it = recvs.find(key);
    const std::size_t matched = it == recvs.end() ? 0 : it->second.size();
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i >= matched) unmatched(list[i].first, *list[i].second);
      const auto& [rr, recv] = it->second[i];
      if (recv->size_bytes != list[i].second->size_bytes)
        throw InputError(files[rr], "node " + std::to_string(recv->node_id),
                         "COMM_RECV of " + std::to_string(recv->size_bytes) + " bytes matches a COMM_SEND of " +
                             std::to_string(list[i].second->size_bytes) + " bytes (node " +
                             std::to_string(list[i].second->node_id) + " of rank " + std::to_string(list[i].first) + ")");
    }
  }
  for (const auto& [key, list] : recvs) {
    const auto it = sends.find(key);
    const std::size_t matched = it == sends.end() ? 0 : it->second.size();
    if (list.size() > matched) unmatched(list[matched].first, *list[matched].second);
  }
}

std::string describe(const WorkloadNode& n) {
  if (n.kind == NodeKind::Compute) return "COMP_NODE of " + std::to_string(n.duration_us) + " us";
  return std::string(collective_name(n.collective)) + " of " + std::to_string(n.size_bytes) + " bytes";
}

// Rank r (trace tb, graph b) must run rank 0's graph (ta, a) node for node.
void check_same_graph(const ChakraTrace& ta, const RankGraph& a, const ChakraTrace& tb, const RankGraph& b) {
  const std::string why =
      ": astra-sweep simulates one graph on every NPU, and traces whose ranks run different graphs are not supported yet";
  if (a.nodes.size() != b.nodes.size())
    throw InputError(tb.file, "", std::to_string(b.nodes.size()) + " nodes to simulate, rank 0 has " +
                                      std::to_string(a.nodes.size()) + why);
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const WorkloadNode& x = a.nodes[i];
    const WorkloadNode& y = b.nodes[i];
    bool same = x.kind == y.kind && x.duration_us == y.duration_us && x.size_bytes == y.size_bytes &&
                (x.kind == NodeKind::Compute || x.collective == y.collective) && x.deps_count == y.deps_count;
    if (same && !std::equal(a.deps.begin() + x.deps_begin, a.deps.begin() + x.deps_begin + x.deps_count,
                            b.deps.begin() + y.deps_begin)) {
      // parents are a set: the same ones in another order (e.g. split between data and control deps) match
      std::vector<std::int32_t> pa(a.deps.begin() + x.deps_begin, a.deps.begin() + x.deps_begin + x.deps_count);
      std::vector<std::int32_t> pb(b.deps.begin() + y.deps_begin, b.deps.begin() + y.deps_begin + y.deps_count);
      std::sort(pa.begin(), pa.end());
      std::sort(pb.begin(), pb.end());
      same = pa == pb;
    }
    if (same) continue;
    const TraceNode& nx = ta.nodes[a.trace_index[i]];
    const TraceNode& ny = tb.nodes[b.trace_index[i]];
    const bool deps_only = x.kind == y.kind && x.duration_us == y.duration_us && x.size_bytes == y.size_bytes &&
                           (x.kind == NodeKind::Compute || x.collective == y.collective);
    throw InputError(tb.file, "node " + std::to_string(ny.id),
                     deps_only ? "depends on other nodes than rank 0's node " + std::to_string(nx.id) + " in the same place" + why
                               : describe(y) + ", but rank 0's node " + std::to_string(nx.id) + " in the same place is a " +
                                     describe(x) + why);
  }
}

}  // namespace

bool is_chakra_trace_path(const std::string& path) {
  std::error_code ec;
  // rank 1 too, so that a set missing rank 0 is reported as such rather than read as a text file
  return fs::is_directory(path, ec) || fs::is_regular_file(chakra_rank_file(path, 0), ec) ||
         fs::is_regular_file(chakra_rank_file(path, 1), ec);
}

std::string chakra_rank_file(const std::string& prefix, std::int64_t rank) { return prefix + "." + std::to_string(rank) + ".et"; }

std::string resolve_chakra_prefix(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path;
  std::set<std::string> stems;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    const std::string stem = rank_file_stem(entry.path().filename().string());
    if (!stem.empty()) stems.insert(stem);
  }
  if (ec) throw InputError(path, "", "cannot list the directory: " + ec.message());
  if (stems.empty()) throw InputError(path, "", "no Chakra trace files (<prefix>.<rank>.et) in this directory");
  if (stems.size() > 1)
    throw InputError(path, "", "holds more than one trace set (" + quoted_text(*stems.begin()) + ", " +
                                   quoted_text(*std::next(stems.begin())) + ", ...); give the prefix instead");
  return (fs::path(path) / *stems.begin()).string();
}

Workload chakra_workload_from_ranks(std::int64_t npus, const std::function<ChakraTrace(std::int64_t)>& load,
                                    const std::string& source) {
  if (npus < 1) throw InputError(source, "", "no ranks");
  std::vector<std::string> files;
  std::vector<std::vector<PointToPoint>> p2p;
  ChakraTrace first;
  RankGraph g0;
  for (std::int64_t r = 0; r < npus; ++r) {
    ChakraTrace t = load(r);
    RankGraph g = build_rank_graph(t, static_cast<std::uint32_t>(r));
    files.push_back(t.file);
    p2p.push_back(std::move(g.p2p));
    if (r == 0) {
      first = std::move(t);
      g0 = std::move(g);
    } else if (p2p[0].empty() && p2p.back().empty()) {  // with point-to-point nodes, matching speaks first
      check_same_graph(first, g0, t, g);
    }
  }
  match_point_to_point(files, p2p);
  for (std::size_t r = 0; r < p2p.size(); ++r)
    if (!p2p[r].empty())
      throw InputError(files[r], "node " + std::to_string(p2p[r].front().node_id),
                       "COMM_SEND/COMM_RECV (point-to-point, e.g. pipeline parallelism) is not modelled by astra-sweep's "
                       "simulators yet");

  Workload w;
  w.source = source;
  w.roofline_inputs = g0.roofline_inputs;
  w.nodes = std::move(g0.nodes);
  w.deps = std::move(g0.deps);
  w.node_names.reserve(w.nodes.size());
  for (std::uint32_t i : g0.trace_index) w.node_names.emplace_back(first.nodes[i].name);
  w.layer_names = w.node_names;  // per-layer reports: one row per node
  w.index_children();
  return w;
}

Workload chakra_workload_from_traces(const std::vector<ChakraTrace>& traces, const std::string& source) {
  return chakra_workload_from_ranks(
      static_cast<std::int64_t>(traces.size()), [&](std::int64_t r) { return traces[static_cast<std::size_t>(r)]; }, source);
}

Workload read_chakra_workload(const std::string& path, std::int64_t npus) {
  const std::string prefix = resolve_chakra_prefix(path);
  if (npus < 1) throw InputError(prefix, "", "the NPU count must be at least 1");
  return chakra_workload_from_ranks(
      npus,
      [&](std::int64_t r) {
        const std::string file = chakra_rank_file(prefix, r);
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
          throw InputError(file, "", "missing: the network has " + std::to_string(npus) + " NPUs and ASTRA-sim reads " +
                                         prefix + ".<rank>.et for each of them");
        return read_chakra_trace(file);
      },
      prefix);
}

}  // namespace astra::chakra
