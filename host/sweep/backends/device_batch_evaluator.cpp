#include "host/sweep/backends/device_batch_evaluator.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "host/sweep/backends/device_sweep_tables.hpp"
#include "host/sweep/backends/sweep_reduction.hpp"

namespace astra {
namespace {

inline constexpr std::uint64_t kMinSubBatch = std::uint64_t{1} << 16, kMaxSubBatch = std::uint64_t{1} << 22;

// `api` after selecting `device` for the calls that follow (for member initialisers).
const DeviceApi& selecting(const DeviceApi& api, int device) {
  api.set_device(device);
  return api;
}

class DeviceBatchEvaluator final : public BatchEvaluator {
 public:
  DeviceBatchEvaluator(const DeviceApi& api, const SweepSpec& spec, const DeviceEvaluatorOptions& o)
      : api_(api), device_(o.device), tables_(selecting(api, o.device), spec), sweep_(tables_.sweep()) {
    api_.set_host_threads(o.host_threads);
    const DeviceInfo info = api_.device_info(device_);
    name_ = !o.device_label.empty() ? o.device_label : !info.name.empty() ? info.name : cpu_model_name();
    omp_ = std::string(api_.backend) != "cuda";

    // Results: two sub-batch buffers (one per stream); most memory stays for the scratch.
    if (o.sub_batch_points > 0) {
      sub_batch_ = o.sub_batch_points;
    } else if (omp_) {
      sub_batch_ = kMinSubBatch;
    } else {
      const std::uint64_t fit = info.free_bytes / 8 / (2 * sizeof(SweepPointResult));
      sub_batch_ = std::clamp(fit, kMinSubBatch, kMaxSubBatch);
    }

    // Scratch slots: as many as the slot kernel keeps resident, within a quarter of free memory.
    const bool aware = may_be_congestion_aware(sweep_);
    // A collective sweep whose points may be of either backend runs in two passes, so that no
    // warp mixes closed-form points with event-simulated ones: the point kernel answers every
    // congestion-unaware point (and hands the aware ones back as NeedsReference), then the slot
    // kernel simulates just those, listed densely.
    for (int a = 0; a < sweep_.axis_count; ++a)
      split_ = split_ || (spec.inline_collective && sweep_.axes[a].field == SweepField::Backend);
    if (split_) sub_batch_ = std::min<std::uint64_t>(sub_batch_, 0xffffffffull);  // 32-bit offsets
    if (!spec.inline_collective || aware) {
      const std::uint64_t per_slot =
          (!spec.inline_collective ? EvaluatorScratchLanes::bytes(1) : 0) + (aware ? sizeof(aware::CongestionAwareScratch) : 0);
      const KernelPolicy policy = api_.slot_kernel_policy();
      const std::uint64_t fit = std::max<std::uint64_t>(1, info.free_bytes / 4 / per_slot);
      pool_.slots = o.slots > 0 ? o.slots : std::max<std::uint64_t>(1, std::min(policy.resident_threads, fit));
      pool_.slots = std::min(pool_.slots, EvaluatorScratchLanes::kMaxSlots);  // the lanes' 32-bit offsets
      if (!spec.inline_collective) {
        scratch_ = DeviceBuffer(api_, EvaluatorScratchLanes::bytes(pool_.slots));
        pool_.scratch.base = scratch_.as<void>();
        pool_.scratch.slots = static_cast<std::uint32_t>(pool_.slots);
      }
      if (aware) {
        aware_ = DeviceBuffer(api_, pool_.slots * sizeof(aware::CongestionAwareScratch));
        api_.fill_zero(aware_.as<void>(), pool_.slots * sizeof(aware::CongestionAwareScratch));  // key stamps start at 0
        pool_.aware = aware_.as<aware::CongestionAwareScratch>();
      }
    }
    // Size the per-thread stack for the kernels this sweep uses now, not mid-run (raising the
    // limit waits for the device to be idle).
    if (!pool_.any() || split_) api_.point_kernel_policy();
    for (int s = 0; s < 2; ++s) {
      streams_[s] = api_.stream_create();
      device_out_[s] = DeviceBuffer(api_, sub_batch_ * sizeof(SweepPointResult));
      if (split_) indices_[s] = DeviceBuffer(api_, sub_batch_ * sizeof(std::uint32_t));
      pinned_[s] = static_cast<SweepPointResult*>(api_.allocate_host(sub_batch_ * sizeof(SweepPointResult)));
    }
    workspace_ = api_.reduction_workspace_create();
  }

  ~DeviceBatchEvaluator() override {
    api_.set_device(device_);
    for (int s = 0; s < 2; ++s) {
      if (streams_[s]) {
        try {
          api_.stream_sync(streams_[s]);
        } catch (...) {
        }
        api_.stream_destroy(streams_[s]);
      }
      if (pinned_[s]) api_.release_host(pinned_[s]);
    }
    if (workspace_) api_.reduction_workspace_destroy(workspace_);
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    api_.set_device(device_);
    std::uint64_t pending_offset[2] = {0, 0}, pending_count[2] = {0, 0};
    auto drain = [&](int s) {
      if (pending_count[s] == 0) return;
      api_.stream_sync(streams_[s]);
      std::memcpy(out + pending_offset[s], pinned_[s], pending_count[s] * sizeof(SweepPointResult));
      pending_count[s] = 0;
    };
    int s = 0;
    for (std::uint64_t offset = 0; offset < count; offset += sub_batch_, s ^= 1) {
      drain(s);
      const std::uint64_t n = std::min(sub_batch_, count - offset);
      launch(first + offset, n, s);
      api_.copy_to_host_async(pinned_[s], device_out_[s].as<SweepPointResult>(), n * sizeof(SweepPointResult),
                              streams_[s]);
      pending_offset[s] = offset;
      pending_count[s] = n;
    }
    drain(0);
    drain(1);
  }

  // Sub-batch k+1 is evaluated on one stream while sub-batch k is reduced on the other.
  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    api_.set_device(device_);
    out.reset(plan);
    std::uint64_t previous_first = 0, previous_count = 0;
    int s = 0, previous = 1;
    auto reduce = [&](int stream, std::uint64_t at, std::uint64_t n) {
      api_.reduce(sweep_, device_out_[stream].as<SweepPointResult>(), at, n, plan, workspace_, part_, streams_[stream]);
      merge_reduction(plan, out, part_);
    };
    for (std::uint64_t offset = 0; offset < count; offset += sub_batch_, s ^= 1) {
      const std::uint64_t n = std::min(sub_batch_, count - offset);
      launch(first + offset, n, s);
      if (previous_count > 0) reduce(previous, previous_first, previous_count);
      previous = s;
      previous_first = first + offset;
      previous_count = n;
    }
    if (previous_count > 0) reduce(previous, previous_first, previous_count);
  }

  std::string backend_name() const override { return api_.backend; }
  std::string device_name() const override { return name_; }
  std::uint64_t preferred_batch_points() const override { return sub_batch_ * (omp_ ? 4 : 8); }

 private:
  // Evaluates points [at, at + n) into device_out_[s] on stream s. Kernels that share the scratch
  // pool run one after another: what the other stream enqueues next (the next kernel) waits for
  // this kernel, while the copy enqueued after it on stream s still overlaps that next kernel.
  void launch(std::uint64_t at, std::uint64_t n, int s) {
    EvaluateRequest r;
    r.sweep = sweep_;
    r.graph = tables_.graph();
    r.pool = pool_;
    r.first = at;
    r.count = n;
    r.out = device_out_[s].as<SweepPointResult>();
    if (split_) {
      r.pool = ScratchPool{};
      api_.evaluate(r, streams_[s]);  // unaware points; aware ones come back NeedsReference
      r.indices = indices_[s].as<std::uint32_t>();
      r.count = api_.select_pending(r.out, n, indices_[s].as<std::uint32_t>(), streams_[s]);
      r.pool = pool_;
    }
    api_.evaluate(r, streams_[s]);
    if (pool_.any()) api_.stream_wait_for(streams_[s ^ 1], streams_[s]);
  }

  const DeviceApi& api_;
  int device_ = 0;
  bool omp_ = false;
  bool split_ = false;  // two passes: point kernel, then the slot kernel on the listed aware points
  DeviceSweepTables tables_;     // on device_ (selected before the tables are copied)
  const CompiledSweep& sweep_;   // tables_.sweep()
  std::string name_;
  DeviceBuffer scratch_, aware_;
  ScratchPool pool_;
  std::uint64_t sub_batch_ = kMinSubBatch;
  DeviceStream streams_[2] = {nullptr, nullptr};
  DeviceBuffer device_out_[2], indices_[2];
  SweepPointResult* pinned_[2] = {nullptr, nullptr};
  void* workspace_ = nullptr;
  BatchReduction part_;
};

}  // namespace

std::unique_ptr<BatchEvaluator> make_device_evaluator(const DeviceApi& api, const SweepSpec& spec,
                                                      const DeviceEvaluatorOptions& options) {
  return std::make_unique<DeviceBatchEvaluator>(api, spec, options);
}

}  // namespace astra
