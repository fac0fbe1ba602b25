// One NPU's system layer (ASTRA-sim's "Sys"): its event registry, collective generation
// (chunking into streams and phases), per-dimension queues with active-chunk limits, and the
// packet bundles that charge endpoint delay and local reduction.
//
//   generate_collective(size) --chunk--> stream 0 [phase dim0] -> [phase dim1] -> ... -> done
//                                        stream 1 [phase dim0] -> ...
//   queue k runs at most active-chunks-per-dimension streams; waiting ones start in queue order
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "kernels/model/config.hpp"
#include "host/reference/event_queue.hpp"
#include "host/reference/logical_topology.hpp"
#include "host/reference/network.hpp"
#include "host/reference/phase_algorithm.hpp"

namespace astra::reference {

// The chunks of one collective; notifies once all have finished their last phase.
struct DataSet {
  std::int64_t streams = 0;
  std::int64_t finished = 0;
  std::function<void()> on_done;
};

struct Stream {
  NpuSystem* owner = nullptr;
  DataSet* dataset = nullptr;
  std::int64_t stream_id = 0;  // the message tag; every NPU numbers its streams the same way
  std::int64_t priority = 0;
  std::deque<std::pair<int, std::unique_ptr<PhaseAlgorithm>>> phases;  // (queue, algorithm) still to run
  std::unique_ptr<PhaseAlgorithm> algorithm;                           // the running phase
  int queue = -1;
  bool initialized = false;

  void on_received();
};

class NpuSystem final {
 public:
  NpuSystem(std::int64_t id, const NetworkConfig& network, const SystemConfig& system, EventQueue& events,
            Network& net);

  [[nodiscard]] std::int64_t id() const { return id_; }
  [[nodiscard]] std::uint64_t now_ns() const { return events_.now_ns(); }
  Network& network() { return net_; }

  // Sys::register_event: callables registered for the same tick run together, at the position
  // of the first registration in the global order (spec 2.2).
  void register_event(Callback callable, std::uint64_t delay_ns);

  // Endpoint delay, then (for a reduction) 3 local-memory passes, then a General event.
  void make_bundle(Stream* stream, bool reduction, std::uint64_t size_bytes);

  // Chunks the collective into streams and queues them; `on_done` runs when the last finishes.
  void generate_collective(CollectiveKind kind, std::uint64_t size_bytes, std::function<void()> on_done);

  // A stream finished its phase (or was just created): move it to its next queue.
  void proceed(Stream* stream);

 private:
  struct LogicalDim {
    AlgorithmChoice algorithm;
    std::int64_t size = 1;  // nodes in the phase's logical ring or tree
    LogicalRing ring;
    std::unique_ptr<DoubleBinaryTree> trees;
  };
  void build_logical_dims(CollectiveKind kind);
  std::unique_ptr<PhaseAlgorithm> make_phase(CollectiveKind algorithm_kind, LogicalDim& dim, std::uint64_t data_bytes,
                                             bool clockwise);
  void insert_stream(int queue, Stream* stream);
  void stream_removed(int queue);
  void fill(int queue);
  void run_events_at(std::uint64_t time_ns);

  std::int64_t id_;
  NetworkConfig network_config_;
  SystemConfig system_;
  EventQueue& events_;
  Network& net_;
  std::int64_t total_npus_;
  double local_mem_bytes_per_s_;

  std::map<std::uint64_t, std::vector<Callback>> registry_;
  std::vector<LogicalDim> logical_[kCollectiveKinds];
  std::map<int, std::vector<Stream*>> queues_;
  std::map<int, std::int64_t> running_;
  std::int64_t next_priority_ = 0;
  std::int64_t next_stream_id_ = 0;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::vector<std::unique_ptr<DataSet>> datasets_;
  std::vector<std::unique_ptr<PhaseAlgorithm>> retired_;
};

}  // namespace astra::reference
