// Interprets one rank's trace: node order, dependencies, node types and attributes, checked.
#include "host/input/chakra/chakra_rank_graph.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

#include "host/input/input_error.hpp"
#include "host/input/quoted_text.hpp"

namespace astra::chakra {
namespace {

constexpr std::uint64_t kMaxDurationUs = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / 1000;
constexpr std::size_t kMaxNodes = std::size_t{1} << 26;

class Checker {
 public:
  Checker(const ChakraTrace& t) : t_(t) {}

  [[noreturn]] void fail(const TraceNode& n, const std::string& reason) const {
    throw InputError(t_.file, "node " + std::to_string(n.id), reason);
  }

  // An integer attribute as the feeder converts it (any integer or bool member; not a float,
  // string or list), within [0, max].
  std::uint64_t uint_attr(const TraceNode& n, const AttrValue& v, const char* name, std::uint64_t max) const {
    if (v.kind != AttrValue::Kind::Integer)
      fail(n, std::string("attribute ") + name + " holds " + v.type_name +
                  "; ASTRA-sim's feeder reads it as an integer and aborts on this value type");
    if (v.negative) fail(n, std::string("attribute ") + name + " is negative (-" + std::to_string(v.magnitude) + ")");
    if (v.magnitude > max)
      fail(n, std::string("attribute ") + name + " = " + std::to_string(v.magnitude) + " is out of range (at most " +
                  std::to_string(max) + ")");
    return v.magnitude;
  }
  std::uint64_t required_uint(const TraceNode& n, const AttrValue& v, const char* name, std::uint64_t max) const {
    if (!v.present())
      fail(n, std::string("missing attribute ") + name + " (ASTRA-sim's workload layer requires it on this node type)");
    return uint_attr(n, v, name, max);
  }
  bool flag_attr(const TraceNode& n, const AttrValue& v, const char* name) const {
    return v.present() && uint_attr(n, v, name, std::numeric_limits<std::uint64_t>::max()) != 0;
  }

 private:
  const ChakraTrace& t_;
};

const char* type_name(std::uint32_t type) {
  switch (type) {
    case kInvalidNode: return "INVALID_NODE";
    case kMetadataNode: return "METADATA_NODE";
    case kMemLoadNode: return "MEM_LOAD_NODE";
    case kMemStoreNode: return "MEM_STORE_NODE";
    case kCompNode: return "COMP_NODE";
    case kCommSendNode: return "COMM_SEND_NODE";
    case kCommRecvNode: return "COMM_RECV_NODE";
    case kCommCollNode: return "COMM_COLL_NODE";
    default: return nullptr;
  }
}

CollectiveKind collective_of(const Checker& c, const TraceNode& n) {
  const std::uint64_t type = c.required_uint(n, n.comm_type, "comm_type", std::numeric_limits<std::uint64_t>::max());
  switch (type) {
    case kAllReduce: return CollectiveKind::AllReduce;
    case kAllGather: return CollectiveKind::AllGather;
    case kReduceScatter: return CollectiveKind::ReduceScatter;
    case kAllToAll: return CollectiveKind::AllToAll;
    case kBroadcast:
      c.fail(n, "comm_type BROADCAST (5): ASTRA-sim replays it as a fixed delay of duration_micros; not modelled yet");
    default:
      c.fail(n, "comm_type " + std::to_string(type) +
                    " is not a collective ASTRA-sim simulates (ALL_REDUCE 0, ALL_GATHER 2, ALL_TO_ALL 6, REDUCE_SCATTER 7)");
  }
}

// The fields of a collective that ASTRA-sim reads beyond type and size, refused where they would
// change what it simulates.
void check_collective_options(const Checker& c, const TraceNode& n) {
  if (n.involved_dim.present()) {
    if (n.involved_dim.kind != AttrValue::Kind::BoolList)
      c.fail(n, std::string("attribute involved_dim holds ") + n.involved_dim.type_name +
                    "; ASTRA-sim expects a bool_list and exits otherwise");
    if (!n.involved_dim.list_all_true || n.involved_dim.list_count < 4)
      c.fail(n, "attribute involved_dim restricts the collective to some network dimensions (" +
                    std::to_string(n.involved_dim.list_count) +
                    " entries, not all true); collectives over a subset of dimensions are not modelled yet");
  }
  if (n.comm_priority.present() && c.uint_attr(n, n.comm_priority, "comm_priority", 0xffffffffULL) != 0)
    c.fail(n, "attribute comm_priority is not 0; collective priorities are not modelled yet");
  if (n.pg_name.present()) {
    if (n.pg_name.kind != AttrValue::Kind::String)
      c.fail(n, std::string("attribute pg_name holds ") + n.pg_name.type_name +
                    "; ASTRA-sim's feeder reads it as a string and aborts on this value type");
    if (!n.pg_name.text.empty() && n.pg_name.text != "0")
      c.fail(n, "attribute pg_name " + quoted_text(n.pg_name.text) +
                    " names a communicator group; collectives on a subset of NPUs (comm-group JSON) are not modelled yet");
  }
}

// Dense parent indices of every node, plus whether each node is somebody's parent.
void map_dependencies(const Checker& c, const ChakraTrace& t, const std::vector<std::uint32_t>& order,
                      const std::vector<std::uint64_t>& sorted_ids, std::vector<std::int32_t>& parents,
                      std::vector<std::int32_t>& parent_begin) {
  const std::size_t n = order.size();
  const bool contiguous = n == 0 || sorted_ids.back() - sorted_ids.front() == n - 1;
  const std::uint64_t first = n ? sorted_ids.front() : 0;
  parent_begin.assign(n + 1, 0);
  parents.clear();
  parents.reserve(t.deps.size());
  std::vector<std::int64_t> seen_by(n, -1);  // seen_by[p] == i: p is already a parent of i
  for (std::size_t i = 0; i < n; ++i) {
    const TraceNode& node = t.nodes[order[i]];
    parent_begin[i] = static_cast<std::int32_t>(parents.size());
    for (std::uint32_t k = 0; k < node.deps_count; ++k) {
      const std::uint64_t id = t.deps[node.deps_begin + k];
      std::int64_t p = -1;
      if (contiguous) {
        if (id >= first && id - first < n) p = static_cast<std::int64_t>(id - first);
      } else {
        const auto it = std::lower_bound(sorted_ids.begin(), sorted_ids.end(), id);
        if (it != sorted_ids.end() && *it == id) p = it - sorted_ids.begin();
      }
      if (p < 0)
        c.fail(node, "depends on node " + std::to_string(id) +
                         ", which is not in the file (ASTRA-sim's feeder stops: the file might be corrupted)");
      // a parent listed twice (or as data and control dependency) counts once
      if (seen_by[static_cast<std::size_t>(p)] == static_cast<std::int64_t>(i)) continue;
      seen_by[static_cast<std::size_t>(p)] = static_cast<std::int64_t>(i);
      parents.push_back(static_cast<std::int32_t>(p));
    }
  }
  parent_begin[n] = static_cast<std::int32_t>(parents.size());
}

// Kahn's algorithm; on a cycle, names the nodes on one.
void check_acyclic(const Checker& c, const ChakraTrace& t, const std::vector<std::uint32_t>& order,
                   const std::vector<std::int32_t>& parents, const std::vector<std::int32_t>& parent_begin) {
  const std::size_t n = order.size();
  std::vector<std::int32_t> child_begin(n + 1, 0), children(parents.size()), left(n);
  for (std::int32_t p : parents) ++child_begin[static_cast<std::size_t>(p) + 1];
  for (std::size_t i = 0; i < n; ++i) child_begin[i + 1] += child_begin[i];
  std::vector<std::int32_t> fill(child_begin.begin(), child_begin.end() - 1);
  std::vector<std::int32_t> queue;
  queue.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    left[i] = parent_begin[i + 1] - parent_begin[i];
    for (std::int32_t k = parent_begin[i]; k < parent_begin[i + 1]; ++k)
      children[static_cast<std::size_t>(fill[static_cast<std::size_t>(parents[static_cast<std::size_t>(k)])]++)] = static_cast<std::int32_t>(i);
    if (left[i] == 0) queue.push_back(static_cast<std::int32_t>(i));
  }
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const auto v = static_cast<std::size_t>(queue[q]);
    for (std::int32_t k = child_begin[v]; k < child_begin[v + 1]; ++k)
      if (--left[static_cast<std::size_t>(children[static_cast<std::size_t>(k)])] == 0) queue.push_back(children[static_cast<std::size_t>(k)]);
  }
  if (queue.size() == n) return;
  // Every node left has a parent left: walking parents n times from one lands on a cycle.
  std::size_t v = 0;
  while (left[v] == 0) ++v;
  auto parent_left = [&](std::size_t x) {
    for (std::int32_t k = parent_begin[x]; k < parent_begin[x + 1]; ++k)
      if (left[static_cast<std::size_t>(parents[static_cast<std::size_t>(k)])] > 0) return static_cast<std::size_t>(parents[static_cast<std::size_t>(k)]);
    return x;
  };
  for (std::size_t step = 0; step < n; ++step) v = parent_left(v);
  std::string cycle = std::to_string(t.nodes[order[v]].id);
  std::size_t shown = 0;
  for (std::size_t x = parent_left(v); x != v && shown < 8; x = parent_left(x), ++shown)
    cycle = std::to_string(t.nodes[order[x]].id) + " -> " + cycle;
  if (shown == 8) cycle = "... -> " + cycle;
  c.fail(t.nodes[order[v]], "dependency cycle (" + std::to_string(t.nodes[order[v]].id) + " <- " + cycle +
                                ", each waiting for the one before): ASTRA-sim never finishes on it");
}

}  // namespace

RankGraph build_rank_graph(const ChakraTrace& t, std::uint32_t rank) {
  const Checker c(t);
  const std::size_t n = t.nodes.size();
  if (n == 0) throw InputError(t.file, "", "no nodes after the GlobalMetadata (ASTRA-sim finds nothing to run and stops)");
  if (n > kMaxNodes) throw InputError(t.file, "", "more than " + std::to_string(kMaxNodes) + " nodes");

  // Node order: increasing id (the trace usually lists them so already).
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  bool sorted = true;
  for (std::size_t i = 1; i < n && sorted; ++i) sorted = t.nodes[i - 1].id < t.nodes[i].id;
  if (!sorted)
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return t.nodes[a].id < t.nodes[b].id; });
  std::vector<std::uint64_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = t.nodes[order[i]].id;
  for (std::size_t i = 1; i < n; ++i)
    if (ids[i] == ids[i - 1]) c.fail(t.nodes[order[i]], "duplicate node id (two nodes of this file have it)");

  std::vector<std::int32_t> parents, parent_begin;
  map_dependencies(c, t, order, ids, parents, parent_begin);
  check_acyclic(c, t, order, parents, parent_begin);

  std::vector<char> has_children(n, 0);
  for (std::int32_t p : parents) has_children[static_cast<std::size_t>(p)] = 1;

  // Interpret each node; METADATA nodes nothing depends on are dropped (remap leaves -1).
  RankGraph g;
  std::vector<std::int32_t> remap(n, -1);
  g.nodes.reserve(n);
  g.trace_index.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TraceNode& node = t.nodes[order[i]];
    WorkloadNode w;
    w.pass = 0;
    switch (node.type) {
      case kCompNode:
        if (c.flag_attr(node, node.is_cpu_op, "is_cpu_op"))
          c.fail(node, "is_cpu_op is set: CPU compute runs beside GPU compute in ASTRA-sim; not modelled yet");
        if (node.duration_micros > kMaxDurationUs)
          c.fail(node, "duration_micros " + std::to_string(node.duration_micros) + " is too large (ASTRA-sim counts ns in 64 bits)");
        w.kind = NodeKind::Compute;
        w.role = NodeRole::Forward;
        w.duration_us = node.duration_micros;
        g.roofline_inputs = g.roofline_inputs || node.num_ops.present() || node.tensor_size.present();
        break;
      case kCommCollNode:
        if (c.flag_attr(node, node.is_cpu_op, "is_cpu_op"))
          c.fail(node, "is_cpu_op is set on a communication node (ASTRA-sim: \"Comm node should not be on CPU\")");
        w.kind = NodeKind::Collective;
        w.role = NodeRole::WeightGradientComm;
        w.collective = collective_of(c, node);
        w.size_bytes = c.required_uint(node, node.comm_size, "comm_size", std::numeric_limits<std::int64_t>::max());
        check_collective_options(c, node);
        break;
      case kCommSendNode:
      case kCommRecvNode: {
        if (c.flag_attr(node, node.is_cpu_op, "is_cpu_op"))
          c.fail(node, "is_cpu_op is set on a communication node (ASTRA-sim: \"Comm node should not be on CPU\")");
        PointToPoint p;
        p.node_id = node.id;
        p.send = node.type == kCommSendNode;
        // the sender's src and the receiver's dst default to the rank itself, as in ASTRA-sim
        p.src = node.comm_src.present() || !p.send ? static_cast<std::uint32_t>(c.required_uint(node, node.comm_src, "comm_src", 0xffffffffULL)) : rank;
        p.dst = node.comm_dst.present() || p.send ? static_cast<std::uint32_t>(c.required_uint(node, node.comm_dst, "comm_dst", 0xffffffffULL)) : rank;
        if (p.send && p.src != rank) c.fail(node, "COMM_SEND with comm_src " + std::to_string(p.src) + " in rank " + std::to_string(rank) + "'s trace (ASTRA-sim: a send is issued by its sender)");
        if (!p.send && p.dst != rank) c.fail(node, "COMM_RECV with comm_dst " + std::to_string(p.dst) + " in rank " + std::to_string(rank) + "'s trace (ASTRA-sim: a receive is issued by its receiver)");
        p.size_bytes = c.required_uint(node, node.comm_size, "comm_size", std::numeric_limits<std::int64_t>::max());
        p.tag = static_cast<std::uint32_t>(c.required_uint(node, node.comm_tag, "comm_tag", 0xffffffffULL));
        g.p2p.push_back(p);
        w.kind = NodeKind::Collective;  // placeholder: point-to-point is refused after matching
        w.size_bytes = p.size_bytes;
        break;
      }
      case kMetadataNode:
        if (has_children[i])
          c.fail(node, "other nodes depend on this METADATA_NODE; ASTRA-sim's handling of that (children wait for "
                       "the next completion, or abort with asserts on) is not modelled");
        continue;  // nothing waits for it and it takes no time: dropped
      case kInvalidNode:
        c.fail(node, "INVALID_NODE: ASTRA-sim skips it but then aborts when it reports its statistics");
      case kMemLoadNode:
      case kMemStoreNode:
        c.fail(node, std::string(type_name(node.type)) + ": remote memory is not modelled by the analytical backends here");
      default:
        c.fail(node, "unknown node type " + std::to_string(node.type) + " (ASTRA-sim: \"Unknown node type\", exits)");
    }
    w.layer = static_cast<std::int32_t>(g.nodes.size());
    remap[i] = static_cast<std::int32_t>(g.nodes.size());
    g.nodes.push_back(w);
    g.trace_index.push_back(order[i]);
  }
  if (g.nodes.empty()) throw InputError(t.file, "", "only METADATA nodes: nothing to simulate");
  g.deps.reserve(parents.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (remap[i] < 0) continue;
    WorkloadNode& w = g.nodes[k++];
    w.deps_begin = static_cast<std::int32_t>(g.deps.size());
    for (std::int32_t q = parent_begin[i]; q < parent_begin[i + 1]; ++q) g.deps.push_back(remap[static_cast<std::size_t>(parents[static_cast<std::size_t>(q)])]);
    w.deps_count = static_cast<std::int32_t>(g.deps.size()) - w.deps_begin;
  }
  return g;
}

}  // namespace astra::chakra
