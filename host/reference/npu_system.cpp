#include "host/reference/npu_system.hpp"

#include <algorithm>
#include <stdexcept>

#include "host/reference/double_binary_tree_algorithm.hpp"
#include "host/reference/packet_engine.hpp"

namespace astra::reference {

void Stream::on_received() { algorithm->run(AlgorithmEvent::Received); }

NpuSystem::NpuSystem(std::int64_t id, const NetworkConfig& network, const SystemConfig& system, EventQueue& events,
                     Network& net)
    : id_(id),
      network_config_(network),
      system_(system),
      events_(events),
      net_(net),
      total_npus_(network.total_npus()),
      local_mem_bytes_per_s_(local_mem_bytes_per_s(system.local_mem_bw_GBps)) {
  for (int c = 0; c < kCollectiveKinds; ++c) build_logical_dims(static_cast<CollectiveKind>(c));
}

// ------------------------------------------------------------------ events
void NpuSystem::register_event(Callback callable, std::uint64_t delay_ns) {
  const std::uint64_t t = events_.now_ns() + delay_ns;
  auto [it, created] = registry_.try_emplace(t);
  it->second.push_back(std::move(callable));
  if (created) events_.schedule(t, [this, t] { run_events_at(t); });
}

void NpuSystem::run_events_at(std::uint64_t time_ns) {
  auto it = registry_.find(time_ns);
  for (std::size_t i = 0; i < it->second.size(); ++i) {
    Callback callable = it->second[i];  // copy: the list may grow while it runs
    callable();
  }
  registry_.erase(it);
}

void NpuSystem::make_bundle(Stream* stream, bool reduction, std::uint64_t size_bytes) {
  auto pending_reduction = std::make_shared<bool>(reduction);
  auto fire = std::make_shared<Callback>();
  *fire = [this, stream, pending_reduction, size_bytes, fire_weak = std::weak_ptr<Callback>(fire)] {
    if (*pending_reduction) {
      *pending_reduction = false;
      // one write and two reads of the local memory, floored once and counted three times
      const auto one_pass_ns =
          static_cast<std::uint64_t>(static_cast<double>(size_bytes) / local_mem_bytes_per_s_ * 1e9);
      auto again = fire_weak.lock();
      register_event([again] { (*again)(); }, 3 * one_pass_ns);
      return;
    }
    stream->algorithm->run(AlgorithmEvent::General);
  };
  register_event([fire] { (*fire)(); }, static_cast<std::uint64_t>(system_.endpoint_delay_ns));
}

// ------------------------------------------------------------------ logical dimensions
void NpuSystem::build_logical_dims(CollectiveKind kind) {
  auto& dims = logical_[static_cast<int>(kind)];
  const int count = system_.implementations_count(kind);
  const AlgorithmChoice* impl = system_.implementations(kind);
  std::int64_t offset = 1;
  for (int d = 0; d < count && d < network_config_.dims; ++d) {
    const std::int64_t n = network_config_.npus_count[d];
    LogicalDim dim;
    dim.algorithm = impl[d];
    const AlgorithmKind a = impl[d].kind;
    if (a == AlgorithmKind::OneRing || a == AlgorithmKind::OneDirect || a == AlgorithmKind::OneHalvingDoubling) {
      dim.size = total_npus_;
      dim.ring = LogicalRing(id_, total_npus_, 1);
      dims.push_back(std::move(dim));
      return;  // one* takes every NPU; the rest of the list is ignored
    }
    dim.size = n;
    if (a == AlgorithmKind::DoubleBinaryTree) {
      const std::int64_t start =
          d == count - 1 ? id_ % offset : (id_ - id_ % (offset * n)) + id_ % offset;
      dim.trees = std::make_unique<DoubleBinaryTree>(n, start, offset);
    } else {
      dim.ring = LogicalRing(id_, n, offset);
    }
    dims.push_back(std::move(dim));
    offset *= n;
  }
}

std::unique_ptr<PhaseAlgorithm> NpuSystem::make_phase(CollectiveKind kind, LogicalDim& dim, std::uint64_t data_bytes,
                                                      bool clockwise) {
  switch (dim.algorithm.kind) {
    case AlgorithmKind::Ring:
    case AlgorithmKind::OneRing:
      return std::make_unique<RingAlgorithm>(kind, id_, dim.ring, data_bytes, clockwise);
    case AlgorithmKind::Direct:
    case AlgorithmKind::OneDirect:
      return std::make_unique<DirectAlgorithm>(kind, id_, dim.ring, data_bytes, clockwise, dim.algorithm.window);
    case AlgorithmKind::HalvingDoubling:
    case AlgorithmKind::OneHalvingDoubling:
      return std::make_unique<HalvingDoublingAlgorithm>(kind, id_, dim.ring, data_bytes);
    case AlgorithmKind::DoubleBinaryTree:
      return std::make_unique<DoubleBinaryTreeAlgorithm>(id_, dim.trees->next_tree(), data_bytes);
  }
  throw std::logic_error("unknown algorithm");
}

// ------------------------------------------------------------------ collectives
void NpuSystem::generate_collective(CollectiveKind kind, std::uint64_t size_bytes, std::function<void()> on_done) {
  auto& dims = logical_[static_cast<int>(kind)];
  const auto splits = static_cast<std::uint64_t>(system_.preferred_dataset_splits);
  const auto total = static_cast<std::uint64_t>(total_npus_);
  std::uint64_t chunk = size_bytes / splits;
  std::uint64_t size = size_bytes;
  if (kind != CollectiveKind::AllGather && total > chunk) {
    chunk = total;  // minimum-chunk rule: small collectives are inflated to splits * NPUs bytes
    size = splits * chunk;
  }
  if (chunk == 0) throw std::logic_error("0-byte chunks");
  auto dataset = std::make_unique<DataSet>();
  dataset->streams = static_cast<std::int64_t>((size + chunk - 1) / chunk);
  dataset->on_done = std::move(on_done);
  DataSet* ds = dataset.get();
  datasets_.push_back(std::move(dataset));

  std::int64_t priority = 0;
  switch (system_.scheduling_policy) {
    case SchedulingPolicy::LIFO: priority = next_priority_++; break;
    case SchedulingPolicy::FIFO: priority = next_priority_--; break;
    case SchedulingPolicy::EXPLICIT: priority = 0; break;
  }

  // Active logical dimensions, in the order this collective walks them.
  std::vector<int> active;
  for (int d = 0; d < static_cast<int>(dims.size()); ++d)
    if (dims[d].size != 1) active.push_back(d);
  if (kind == CollectiveKind::AllGather) std::reverse(active.begin(), active.end());
  if (active.empty()) throw std::logic_error("no active dimension");

  while (size > 0) {
    size = chunk > size ? 0 : size - chunk;
    auto stream = std::make_unique<Stream>();
    stream->owner = this;
    stream->dataset = ds;
    stream->stream_id = next_stream_id_++;
    stream->priority = priority;
    std::uint64_t data = chunk;
    auto add_phase = [&](CollectiveKind phase_kind, int d, bool clockwise) {
      auto algorithm = make_phase(phase_kind, dims[d], data, clockwise);
      algorithm->attach(stream.get());
      data = algorithm->output_size_bytes();
      stream->phases.emplace_back(d, std::move(algorithm));
    };
    if (kind != CollectiveKind::AllReduce || !system_.local_bw_aware) {
      for (int d : active) add_phase(kind, d, true);
    } else {
      // localBWAware all-reduce: reduce-scatter up, all-reduce on the last dim, all-gather down
      const int last = active.back();
      for (std::size_t i = 0; i + 1 < active.size(); ++i) add_phase(CollectiveKind::ReduceScatter, active[i], true);
      add_phase(CollectiveKind::AllReduce, last, true);
      for (std::size_t i = active.size() - 1; i-- > 0;) add_phase(CollectiveKind::AllGather, active[i], false);
    }
    Stream* s = stream.get();
    streams_.push_back(std::move(stream));
    proceed(s);
  }
}

// ------------------------------------------------------------------ queues
void NpuSystem::insert_stream(int queue, Stream* stream) {
  auto& list = queues_[queue];
  std::size_t i = 0;
  while (i < list.size() && (list[i]->initialized || list[i]->priority >= stream->priority)) ++i;
  list.insert(list.begin() + static_cast<std::ptrdiff_t>(i), stream);
}

void NpuSystem::proceed(Stream* stream) {
  const int previous = stream->queue;
  if (stream->phases.empty()) {
    // the chunk finished its last phase; this may complete the collective (and issue new work)
    // before the stream leaves its queue
    DataSet* ds = stream->dataset;
    if (++ds->finished == ds->streams && ds->on_done) ds->on_done();
  }
  if (previous >= 0) {
    auto& list = queues_[previous];
    list.erase(std::find(list.begin(), list.end(), stream));
  }
  if (stream->phases.empty()) {
    if (previous >= 0) stream_removed(previous);
    return;
  }
  auto [queue, algorithm] = std::move(stream->phases.front());
  stream->phases.pop_front();
  stream->queue = queue;
  // the finished phase may still be on the call stack (it called proceed): retire, don't free
  if (stream->algorithm) retired_.push_back(std::move(stream->algorithm));
  stream->algorithm = std::move(algorithm);
  stream->initialized = false;
  insert_stream(queue, stream);
  if (previous >= 0) stream_removed(previous);
  fill(queue);
}

void NpuSystem::stream_removed(int queue) {
  --running_[queue];
  fill(queue);
}

void NpuSystem::fill(int queue) {
  auto& list = queues_[queue];
  auto& running = running_[queue];
  for (std::size_t i = static_cast<std::size_t>(running);
       i < list.size() && running < system_.active_chunks_per_dimension; ++i) {
    ++running;
    Stream* s = list[i];
    s->initialized = true;
    s->algorithm->run(AlgorithmEvent::Init);
  }
}

}  // namespace astra::reference
