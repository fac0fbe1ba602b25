// Converts a text workload into the node graph of one NPU, node for node as Chakra's text
// converter writes it (`converter Text --num-npus N --num-passes K`; every NPU gets the same
// graph). Node ids are creation order, dependencies are data deps in the order the converter
// adds them, and per-layer state carries over from one pass to the next as in the converter.
#include <limits>
#include <string>
#include <vector>

#include "host/input/file_text.hpp"
#include "host/input/parsers.hpp"
#include "host/input/quoted_text.hpp"
#include "host/input/text_workload_file.hpp"

namespace astra {
namespace {

constexpr std::int32_t kNone = -1;
constexpr std::size_t kMaxNodes = std::size_t{1} << 24;
// ASTRA-sim runs a compute node for duration * 1000 ns in a uint64 tick count.
constexpr std::int64_t kMaxComputeUs = std::numeric_limits<std::int64_t>::max() / 1000;

// The nodes a layer last produced (None until then), as the converter keeps them on its Layer.
struct LayerNodes {
  std::int32_t fwd_comp = kNone, fwd_comm = kNone;
  std::int32_t ig_comp = kNone, ig_comm = kNone;
  std::int32_t wg_comp = kNone, wg_comm = kNone;
};

CollectiveKind text_comm_kind(const std::string& type) {
  if (type == "ALLTOALL") return CollectiveKind::AllToAll;
  if (type == "ALLGATHER") return CollectiveKind::AllGather;
  if (type == "REDUCESCATTER") return CollectiveKind::ReduceScatter;
  return CollectiveKind::AllReduce;  // ALLREDUCE, and any other word (NONE, ...) as in the converter
}

class GraphBuilder {
 public:
  GraphBuilder(const TextWorkloadFile& in, const std::string& file, std::string missing_parent_hint)
      : in_(in), file_(file), hint_(std::move(missing_parent_hint)), state_(in.layers.size()) {}

  LayerNodes& state(std::size_t layer) { return state_[layer]; }
  const TextLayer& layer(std::size_t i) const { return in_.layers[i]; }
  std::size_t layer_count() const { return in_.layers.size(); }
  void set_pass(int pass) { pass_ = pass; }

  std::int32_t comp(std::size_t layer_index, const char* phase, NodeRole role) {
    const TextLayer& l = in_.layers[layer_index];
    const bool fwd = role == NodeRole::Forward, ig = role == NodeRole::InputGradient;
    const std::int64_t us = fwd ? l.fwd_compute_us : ig ? l.ig_compute_us : l.wg_compute_us;
    const int column = fwd ? kColFwdCompute : ig ? kColIgCompute : kColWgCompute;
    if (us < 0) throw InputError(file_, field(l.line, column), "negative compute time " + std::to_string(us) + " us");
    if (us > kMaxComputeUs) throw InputError(file_, field(l.line, column), "compute time " + std::to_string(us) + " us is too large");
    WorkloadNode n;
    n.kind = NodeKind::Compute;
    n.role = role;
    n.duration_us = static_cast<std::uint64_t>(us);
    return add(n, layer_index, "COMP_NODE_" + l.name + "_" + phase);
  }

  // A collective named after `name_layer` (+ suffix), with the type and size of `role`'s columns.
  std::int32_t comm(std::size_t layer_index, NodeRole role, const std::string& name_suffix = "") {
    const TextLayer& l = in_.layers[layer_index];
    const bool fwd = role == NodeRole::ForwardComm, ig = role == NodeRole::InputGradientComm;
    const std::string& type = fwd ? l.fwd_comm_type : ig ? l.ig_comm_type : l.wg_comm_type;
    const std::int64_t bytes = fwd ? l.fwd_comm_bytes : ig ? l.ig_comm_bytes : l.wg_comm_bytes;
    const int column = fwd ? kColFwdCommSize : ig ? kColIgCommSize : kColWgCommSize;
    if (bytes < 0) throw InputError(file_, field(l.line, column), "negative communication size " + std::to_string(bytes) + " bytes");
    WorkloadNode n;
    n.kind = NodeKind::Collective;
    n.role = role;
    n.collective = text_comm_kind(type);
    n.size_bytes = static_cast<std::uint64_t>(bytes);
    return add(n, layer_index, "COMM_COLL_NODE_" + l.name + name_suffix + "_" + type);
  }

  void add_parent(std::int32_t child, std::int32_t parent) {
    if (parent == kNone) {
      throw InputError(file_, "graph",
                       "node " + quoted_text(w_.node_names[static_cast<std::size_t>(child)], 120) +
                           " needs a parent that the converter never creates (Chakra's text converter fails here); " +
                           hint_);
    }
    deps_[static_cast<std::size_t>(child)].push_back(parent);
  }

  Workload finish(const std::string& source) {
    w_.source = source;
    for (const auto& l : in_.layers) w_.layer_names.push_back(l.name);
    for (std::size_t i = 0; i < w_.nodes.size(); ++i) {
      w_.nodes[i].deps_begin = static_cast<std::int32_t>(w_.deps.size());
      w_.nodes[i].deps_count = static_cast<std::int32_t>(deps_[i].size());
      w_.deps.insert(w_.deps.end(), deps_[i].begin(), deps_[i].end());
    }
    w_.index_children();
    return std::move(w_);
  }

 private:
  static std::string field(int line, int column) {
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (" + text_column_name(column) + ")";
  }

  std::int32_t add(WorkloadNode n, std::size_t layer_index, std::string name) {
    if (w_.nodes.size() >= kMaxNodes) {
      throw InputError(file_, "passes", "the workload would have more than " + std::to_string(kMaxNodes) + " nodes");
    }
    n.layer = static_cast<std::int32_t>(layer_index);
    n.pass = pass_;
    w_.nodes.push_back(n);
    w_.node_names.push_back(std::move(name));
    deps_.emplace_back();
    return static_cast<std::int32_t>(w_.nodes.size() - 1);
  }

  const TextWorkloadFile& in_;
  const std::string& file_;
  std::string hint_;
  std::vector<LayerNodes> state_;
  Workload w_;
  std::vector<std::vector<std::int32_t>> deps_;
  int pass_ = 0;
};

void convert_micro(GraphBuilder& g, int passes) {
  for (int p = 0; p < passes; ++p) {
    g.set_pass(p);
    for (std::size_t i = 0; i < g.layer_count(); ++i) g.comm(i, NodeRole::WeightGradientComm);
  }
}

void convert_data(GraphBuilder& g, int passes) {
  const std::size_t n = g.layer_count();
  for (int p = 0; p < passes; ++p) {
    g.set_pass(p);
    std::int32_t fwd_comp = kNone;
    for (std::size_t idx = 0; idx < n; ++idx) {
      fwd_comp = g.comp(idx, "FWD", NodeRole::Forward);
      if (idx != 0) g.add_parent(fwd_comp, g.state(idx - 1).fwd_comp);
      if (g.state(idx).wg_comm != kNone) g.add_parent(fwd_comp, g.state(idx).wg_comm);
      g.state(idx).fwd_comp = fwd_comp;
    }
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::size_t li = n - 1 - idx;  // reversed(layers)
      const std::int32_t wg_comp = g.comp(li, "BWD_WG", NodeRole::WeightGradient);
      g.add_parent(wg_comp, idx == 0 ? fwd_comp : g.state(n - idx).ig_comp);
      const std::int32_t wg_comm = g.comm(li, NodeRole::WeightGradientComm);
      g.add_parent(wg_comm, wg_comp);
      g.state(li).wg_comm = wg_comm;
      if (idx != n - 1) {
        const std::int32_t ig_comp = g.comp(li, "BWD_IG", NodeRole::InputGradient);
        g.add_parent(ig_comp, wg_comp);
        g.state(li).ig_comp = ig_comp;
      }
    }
  }
}

void convert_model(GraphBuilder& g, int passes) {
  const std::size_t n = g.layer_count();
  for (int p = 0; p < passes; ++p) {
    g.set_pass(p);
    std::int32_t fwd_comm = kNone;
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::int32_t fwd_comp = g.comp(idx, "FWD", NodeRole::Forward);
      if (idx != 0) g.add_parent(fwd_comp, g.state(idx - 1).fwd_comm);
      if (g.state(idx).wg_comp != kNone) g.add_parent(fwd_comp, g.state(idx).wg_comp);
      g.state(idx).fwd_comp = fwd_comp;
      fwd_comm = g.comm(idx, NodeRole::ForwardComm);
      g.state(idx).fwd_comm = fwd_comm;
      g.add_parent(fwd_comm, fwd_comp);
    }
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::size_t li = n - 1 - idx;
      const std::int32_t ig_comp = g.comp(li, "BWD_IG", NodeRole::InputGradient);
      if (idx == 0) {
        g.add_parent(ig_comp, fwd_comm);
      } else {
        g.add_parent(ig_comp, g.state(n - idx).wg_comp);
        g.add_parent(ig_comp, g.state(n - idx).ig_comm);
      }
      if (idx != n - 1) {
        const std::int32_t ig_comm = g.comm(li, NodeRole::InputGradientComm);
        g.add_parent(ig_comm, ig_comp);
        g.state(li).ig_comm = ig_comm;
      }
      const std::int32_t wg_comp = g.comp(li, "BWD_WG", NodeRole::WeightGradient);
      g.add_parent(wg_comp, ig_comp);
      g.state(li).wg_comp = wg_comp;
    }
  }
}

// HYBRID_DATA_MODEL (ig_comm_suffix "_IG_COMM_") and HYBRID_MODEL_DATA (""): the same graph.
void convert_hybrid(GraphBuilder& g, int passes, const std::string& ig_comm_suffix) {
  const std::size_t n = g.layer_count();
  for (int p = 0; p < passes; ++p) {
    g.set_pass(p);
    std::int32_t fwd_comm = kNone;
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::int32_t fwd_comp = g.comp(idx, "FWD", NodeRole::Forward);
      if (g.state(idx).wg_comm != kNone) g.add_parent(fwd_comp, g.state(idx).wg_comm);
      if (idx != 0) g.add_parent(fwd_comp, g.state(idx - 1).fwd_comm);
      fwd_comm = g.comm(idx, NodeRole::ForwardComm);
      g.add_parent(fwd_comm, fwd_comp);
      g.state(idx).fwd_comm = fwd_comm;
    }
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::size_t li = n - 1 - idx;
      const std::int32_t ig_comp = g.comp(li, "BWD_IG", NodeRole::InputGradient);
      if (idx == 0) {
        g.add_parent(ig_comp, fwd_comm);
      } else {
        g.add_parent(ig_comp, g.state(n - idx).wg_comp);
        g.add_parent(ig_comp, g.state(n - idx).ig_comm);
      }
      if (idx != n - 1) {
        const std::int32_t ig_comm = g.comm(li, NodeRole::InputGradientComm, ig_comm_suffix);
        g.add_parent(ig_comm, ig_comp);
        g.state(li).ig_comm = ig_comm;
      }
      const std::int32_t wg_comp = g.comp(li, "BWD_WG", NodeRole::WeightGradient);
      g.add_parent(wg_comp, ig_comp);
      g.state(li).wg_comp = wg_comp;
      const std::int32_t wg_comm = g.comm(li, NodeRole::WeightGradientComm);
      g.add_parent(wg_comm, wg_comp);
      g.state(li).wg_comm = wg_comm;
    }
  }
}

void convert_hybrid_dlrm(GraphBuilder& g, int passes, std::int64_t last_bottom_layer) {
  const std::size_t n = g.layer_count();
  const auto is = [](std::size_t i, std::int64_t v) { return static_cast<std::int64_t>(i) == v; };
  for (int p = 0; p < passes; ++p) {
    g.set_pass(p);
    std::int32_t fwd_comp = kNone;
    for (std::size_t idx = 0; idx < n; ++idx) {
      fwd_comp = g.comp(idx, "FWD", NodeRole::Forward);
      if (g.state(idx).wg_comm != kNone) {
        g.add_parent(fwd_comp, g.state(idx).wg_comm);
      } else if (g.state(idx).wg_comp != kNone) {
        g.add_parent(fwd_comp, g.state(idx).wg_comp);
      }
      if (idx != 0) g.add_parent(fwd_comp, g.state(idx - 1).fwd_comp);
      if (is(idx, last_bottom_layer)) g.add_parent(fwd_comp, g.state(0).fwd_comm);
      g.state(idx).fwd_comp = fwd_comp;
      if (g.layer(idx).fwd_comm_type == "ALLTOALL") {
        const std::int32_t fwd_comm = g.comm(idx, NodeRole::ForwardComm);
        g.add_parent(fwd_comm, fwd_comp);
        g.state(idx).fwd_comm = fwd_comm;
      }
    }
    for (std::size_t idx = 0; idx < n; ++idx) {
      const std::size_t li = n - 1 - idx;
      const std::int32_t wg_comp = g.comp(li, "BWD_WG", NodeRole::WeightGradient);
      if (idx == 0) {
        g.add_parent(wg_comp, fwd_comp);
      } else {
        if (g.state(n - idx).ig_comp != kNone) g.add_parent(wg_comp, g.state(n - idx).ig_comp);
        if (g.state(li).ig_comm != kNone) g.add_parent(wg_comp, g.state(li).ig_comm);
      }
      g.state(li).wg_comp = wg_comp;
      if (g.layer(li).wg_comm_type != "NONE") {
        const std::int32_t wg_comm = g.comm(li, NodeRole::WeightGradientComm);
        g.add_parent(wg_comm, wg_comp);
        g.state(li).wg_comm = wg_comm;
      }
      std::int32_t ig_comp = kNone;
      if (idx != n - 1) {
        ig_comp = g.comp(li, "BWD_IG", NodeRole::InputGradient);
        g.add_parent(ig_comp, wg_comp);
        g.state(li).ig_comp = ig_comp;
      }
      if (last_bottom_layer < std::numeric_limits<std::int64_t>::max() && is(li, last_bottom_layer + 1)) {
        // the embedding layer's input-gradient collective, issued after the first top layer
        const std::int32_t ig_comm = g.comm(0, NodeRole::InputGradientComm);
        g.add_parent(ig_comm, ig_comp);
        g.state(0).ig_comm = ig_comm;
      }
    }
  }
}

}  // namespace

Workload parse_text_workload(std::string_view text, const std::string& file, int passes) {
  if (passes < 1) throw InputError(file, "passes", "must be at least 1, got " + std::to_string(passes));
  const TextWorkloadFile in = read_text_workload_file(text, file);
  const std::string& type = in.parallelism;
  const bool dlrm = type == "HYBRID_DLRM" || type == "HYBRID_DLRM_ENHANCED";
  GraphBuilder g(in, file,
                 dlrm ? "check the last bottom layer on line 1 (the embedding layer's forward comm type must be "
                        "ALLTOALL, and the index must leave a top layer)"
                      : "check the layer count on line 2");
  if (type == "MICRO") {
    convert_micro(g, passes);
  } else if (type == "DATA") {
    convert_data(g, passes);
  } else if (type == "MODEL") {
    convert_model(g, passes);
  } else if (type == "HYBRID_DATA_MODEL") {
    convert_hybrid(g, passes, "_IG_COMM_");
  } else if (type == "HYBRID_MODEL_DATA") {
    convert_hybrid(g, passes, "");
  } else if (dlrm) {
    convert_hybrid_dlrm(g, passes, in.last_bottom_layer);
  } else if (type.rfind("\xef\xbb\xbf", 0) == 0) {
    throw InputError(file, "line 1",
                     "the file starts with a UTF-8 byte order mark before " + quoted_text(type.substr(3)) +
                         "; Chakra's text converter reads it as part of the parallelism type - save the file "
                         "without it");
  } else {
    throw InputError(file, "line 1",
                     "unsupported parallelism type " + quoted_text(type) +
                         " (Chakra's text converter cannot convert it either; supported: DATA, MODEL, "
                         "HYBRID_DATA_MODEL, HYBRID_MODEL_DATA, HYBRID_DLRM, HYBRID_DLRM_ENHANCED, MICRO)");
  }
  return g.finish(file);
}

Workload read_text_workload(const std::string& path, int passes) {
  return parse_text_workload(read_input_file(path), path, passes);
}

}  // namespace astra
