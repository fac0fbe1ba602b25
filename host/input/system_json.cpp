// The system JSON: the keys ASTRA-sim's analytical backends read (scheduling, chunking, delays,
// the per-dimension collective implementations), with ASTRA-sim's defaults. Keys that do not
// change timing in these backends are accepted with one warning each; model-shared-bus: 1 (a
// bus model we do not reproduce) is rejected.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/input/file_text.hpp"
#include "host/input/json_values.hpp"
#include "host/input/parsers.hpp"
#include "host/input/quoted_text.hpp"

namespace astra {
namespace {

constexpr const char* kImplementationKeys[kCollectiveKinds] = {
    // indexed by CollectiveKind
    "all-reduce-implementation", "all-gather-implementation", "reduce-scatter-implementation",
    "all-to-all-implementation"};

// Keys ASTRA-sim reads that do not change simulated time in the analytical backends. Each is
// silent at the value those backends assume (0 / off, or ASTRA-sim's default scheduling) and
// listed in the file's one warning line otherwise. roofline-enabled, track-local-mem, and the
// keys that only they use (peak-perf, local-mem-trace-filename) are handled apart.
enum class IgnoredType { Number, Switch, String };
struct IgnoredKey {
  const char* key;
  IgnoredType type;
  const char* default_text = "";  // String keys: the value that says nothing
};
constexpr IgnoredKey kIgnoredKeys[] = {
    {"boost-mode", IgnoredType::Switch},
    {"L", IgnoredType::Number},
    {"o", IgnoredType::Number},
    {"g", IgnoredType::Number},
    {"G", IgnoredType::Number},
    {"local-reduction-delay", IgnoredType::Number},
    {"trace-enabled", IgnoredType::Switch},
    {"replay-only", IgnoredType::Switch},
    {"intra-dimension-scheduling", IgnoredType::String, "FIFO"},
    {"inter-dimension-scheduling", IgnoredType::String, "ascending"},
};

constexpr std::int64_t kMaxEndpointDelay_ns = 1000000000000000LL;  // 1e15 ns keeps every sum of delays in range
constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

void warn_if(const WarningSink& warn, const std::string& message) {
  if (warn) warn(message);
}

std::string display_name(const std::string& file) { return file.empty() ? std::string("<system>") : file; }

void read_implementations(const nlohmann::json& v, const std::string& file, int collective, SystemConfig& sys) {
  const char* key = kImplementationKeys[collective];
  if (!v.is_array()) {
    throw InputError(file, key, "must be a list of implementations, one per dimension (e.g. [\"ring\"]), got " +
                                    json_value_text(v));
  }
  if (v.size() > static_cast<std::size_t>(kMaxDims)) {
    throw InputError(file, key,
                     "has " + std::to_string(v.size()) + " entries; at most " + std::to_string(kMaxDims) +
                         " dimensions are supported");
  }
  for (std::size_t d = 0; d < v.size(); ++d) {
    const std::string field = std::string(key) + "[" + std::to_string(d) + "]";
    const std::string name = json_string(v[d], file, field);
    sys.implementation[collective][d] = parse_algorithm_name(name, file, field);
  }
  sys.implementation_count[collective] = static_cast<std::int32_t>(v.size());
}

// Keys of the models beyond ASTRA-sim (kernels/model/beyond_model.hpp): ASTRA-sim has none.
constexpr const char* kNcclLatencyKeys[kNcclProtocols] = {"nccl-ll-latency-ns", "nccl-ll128-latency-ns",
                                                          "nccl-simple-latency-ns"};
constexpr const char* kNcclEfficiencyKeys[kNcclProtocols] = {"nccl-ll-efficiency", "nccl-ll128-efficiency",
                                                             "nccl-simple-efficiency"};

bool read_nccl_key(const std::string& key, const nlohmann::json& v, const std::string& file, SystemConfig& sys) {
  for (int q = 0; q < kNcclProtocols; ++q) {
    if (key == kNcclLatencyKeys[q]) {
      sys.nccl.protocol[q].latency_ns = json_number(v, file, key, 0.0);
      return true;
    }
    if (key == kNcclEfficiencyKeys[q]) {
      const double e = json_number(v, file, key, 0.0);
      if (!(e > 0.0 && e <= 1.0)) throw InputError(file, key, "must be in (0, 1], got " + json_value_text(v));
      sys.nccl.protocol[q].efficiency = e;
      return true;
    }
  }
  if (key == "nccl-floor-ns") {
    sys.nccl.floor_ns = json_number(v, file, key, 0.0);
    return true;
  }
  if (key == "nccl-ll-max-bytes" || key == "nccl-ll128-max-bytes") {
    (key == "nccl-ll-max-bytes" ? sys.nccl.ll_max_bytes : sys.nccl.ll128_max_bytes) = json_number(v, file, key, 0.0);
    return true;
  }
  if (key == "nccl-channel-bytes") {
    sys.nccl.channel_bytes = json_number(v, file, key, 0.0);
    return true;
  }
  if (key == "nccl-max-channels") {
    sys.nccl.max_channels = json_number(v, file, key, 1.0);
    return true;
  }
  if (key == "nccl-nvls-step-ns") {
    sys.nccl.nvls_step_ns = json_number(v, file, key, 0.0);
    return true;
  }
  if (key == "nccl-nvls-fill-steps") {
    sys.nccl.nvls_fill_steps = json_number(v, file, key, 0.0);
    return true;
  }
  if (key == "nccl-nvls-channels") {
    sys.nccl.nvls_channels = json_number(v, file, key, 1.0);
    return true;
  }
  if (key == "nccl-nvls-chunk-bytes") {
    sys.nccl.nvls_chunk_bytes = json_number(v, file, key, 1.0);
    return true;
  }
  if (key != "nccl-protocols") return false;
  if (!v.is_array() || v.empty())
    throw InputError(file, key, "must be a non-empty list of protocols (LL, LL128, Simple), got " + json_value_text(v));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string field = key + "[" + std::to_string(i) + "]";
    const std::string name = json_string(v[i], file, field);
    if (name == "LL") mask |= 1u;
    else if (name == "LL128") mask |= 2u;
    else if (name == "Simple") mask |= 4u;
    else throw InputError(file, field, "unknown protocol " + quoted_text(name) + " (valid: LL, LL128, Simple)");
  }
  sys.nccl.protocol_mask = mask;
  return true;
}

}  // namespace

SystemConfig system_from_json(const nlohmann::json& j, const std::string& file, const WarningSink& warn) {
  if (!j.is_object()) throw InputError(file, "", "expected a JSON object of system settings, got " + json_value_text(j));
  SystemConfig sys;
  sys.scheduling_policy = SchedulingPolicy::LIFO;
  sys.endpoint_delay_ns = 10;
  sys.active_chunks_per_dimension = 1;
  sys.local_bw_aware = false;
  sys.local_mem_bw_GBps = 0.0;

  bool have_splits = false;
  bool roofline = false, track_local_mem = false, peak_perf = false, trace_filename = false;
  std::vector<std::string> ignored;  // one warning line for the whole file
  for (const auto& [key, v] : j.items()) {
    if (key == "scheduling-policy") {
      const std::string s = json_string(v, file, key);
      if (s == "LIFO") sys.scheduling_policy = SchedulingPolicy::LIFO;
      else if (s == "FIFO") sys.scheduling_policy = SchedulingPolicy::FIFO;
      else if (s == "EXPLICIT") sys.scheduling_policy = SchedulingPolicy::EXPLICIT;
      else throw InputError(file, key, "unknown scheduling policy " + quoted_text(s) + " (valid: LIFO, FIFO, EXPLICIT)");
    } else if (key == "endpoint-delay") {
      sys.endpoint_delay_ns = json_integer(v, file, key, 0, kMaxEndpointDelay_ns);
    } else if (key == "active-chunks-per-dimension") {
      sys.active_chunks_per_dimension = static_cast<std::int32_t>(json_integer(v, file, key, 1, kMaxInt32));
    } else if (key == "preferred-dataset-splits") {
      sys.preferred_dataset_splits = json_integer(v, file, key, 1, kMaxInt32);
      have_splits = true;
    } else if (key == "collective-optimization") {
      const std::string s = json_string(v, file, key);
      if (s == "baseline") sys.local_bw_aware = false;
      else if (s == "localBWAware") sys.local_bw_aware = true;
      else throw InputError(file, key, "unknown collective optimization " + quoted_text(s) + " (valid: baseline, localBWAware)");
    } else if (key == "local-mem-bw") {
      sys.local_mem_bw_GBps = json_number(v, file, key, 0.0);
    } else if (key == kImplementationKeys[0] || key == kImplementationKeys[1] || key == kImplementationKeys[2] ||
               key == kImplementationKeys[3]) {
      for (int c = 0; c < kCollectiveKinds; ++c) {
        if (key == kImplementationKeys[c]) read_implementations(v, file, c, sys);
      }
    } else if (read_nccl_key(key, v, file, sys)) {
    } else if (key == "model-shared-bus") {
      if (json_switch(v, file, key)) {
        throw InputError(file, key, "the shared memory bus model (model-shared-bus: 1) is not modelled; set it to 0");
      }
    } else if (key == "roofline-enabled") {
      roofline = json_switch(v, file, key);
    } else if (key == "track-local-mem") {
      track_local_mem = json_switch(v, file, key);
    } else if (key == "peak-perf") {
      json_number(v, file, key, -std::numeric_limits<double>::max());
      peak_perf = true;
    } else if (key == "local-mem-trace-filename") {
      json_string(v, file, key);
      trace_filename = true;
    } else {
      const IgnoredKey* known = nullptr;
      for (const auto& k : kIgnoredKeys) {
        if (key == k.key) known = &k;
      }
      if (known == nullptr) {
        ignored.push_back("unknown key " + quoted_text(key) + " (ASTRA-sim does not read it either)");
        continue;
      }
      bool at_default = false;  // the value the analytical backends assume: nothing to say
      switch (known->type) {
        case IgnoredType::Number: at_default = json_number(v, file, key, -std::numeric_limits<double>::max()) == 0.0; break;
        case IgnoredType::Switch: at_default = !json_switch(v, file, key); break;
        case IgnoredType::String: at_default = json_string(v, file, key) == known->default_text; break;
      }
      if (!at_default) ignored.push_back("'" + key + "'");
    }
  }
  // Keys that matter only with a model that is off (peak-perf: roofline; the trace file: memory
  // tracking) change nothing then; with the model on, the model itself is what is ignored.
  if (roofline) {
    ignored.push_back("roofline-enabled: 1 (compute durations are taken from the workload; ASTRA-sim itself crashes "
                      "on text-converted workloads with the roofline model on, and times Chakra trace nodes that "
                      "carry num_ops/tensor_size by the roofline instead of duration_micros)" +
                      std::string(peak_perf ? " with 'peak-perf'" : ""));
  }
  if (track_local_mem) {
    ignored.push_back("track-local-mem: 1 (local memory is not tracked; ASTRA-sim's tracker throws on these workloads "
                      "and no NPU finishes)" + std::string(trace_filename ? " with 'local-mem-trace-filename'" : ""));
  }
  if (!ignored.empty()) {
    std::string line = display_name(file) + ": not modelled by the analytical backends, ignored: ";
    for (std::size_t i = 0; i < ignored.size(); ++i) line += (i ? "; " : "") + ignored[i];
    warn_if(warn, line);
  }
  if (!have_splits) {
    throw InputError(file, "preferred-dataset-splits",
                     "missing; it sets how many chunks a collective is split into (ASTRA-sim's default of 0 "
                     "cannot run), e.g. \"preferred-dataset-splits\": 4");
  }
  return sys;
}

SystemConfig parse_system_json(std::string_view text, const std::string& file, const WarningSink& warn) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw InputError(file, "", "empty file (expected a JSON object of system settings)");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..." -> "parse error at ..."
    const auto bracket = what.find("] ");
    if (what.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) what = what.substr(bracket + 2);
    throw InputError(file, "", "malformed JSON: " + printable(what));
  }
  return system_from_json(j, file, warn);
}

SystemConfig read_system_json(const std::string& path, const WarningSink& warn) {
  return parse_system_json(read_input_file(path), path, warn);
}

}  // namespace astra
