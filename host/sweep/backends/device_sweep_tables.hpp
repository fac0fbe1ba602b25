// Device memory owned by host code, through the device layer's entry (kernels/cuda/device_api.hpp):
// DeviceBuffer (one allocation, released with its owner) and DeviceSweepTables (a sweep's digit
// tables, constraint program and workload graph with its children index copied once, and the CompiledSweep /
// WorkloadGraphView that point into them), shared by the device backends and the axis decoder.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "kernels/cuda/device_api.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceApi& api, std::size_t bytes) : api_(&api), p_(api.allocate(bytes)) {}
  DeviceBuffer(DeviceBuffer&& o) noexcept : api_(o.api_), p_(o.p_) { o.p_ = nullptr; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    std::swap(api_, o.api_);
    std::swap(p_, o.p_);
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (p_) api_->release(p_);
  }
  template <typename T>
  T* as() const {
    return static_cast<T*>(p_);
  }

 private:
  const DeviceApi* api_ = nullptr;
  void* p_ = nullptr;
};

template <typename T>
DeviceBuffer upload(const DeviceApi& api, const std::vector<T>& v) {
  DeviceBuffer b(api, v.size() * sizeof(T));
  api.copy_to_device(b.as<void>(), v.data(), v.size() * sizeof(T));
  return b;
}

class DeviceSweepTables {
 public:
  // The workload graph only for sweeps of a workload file (inline collectives need none).
  DeviceSweepTables(const DeviceApi& api, const SweepSpec& spec)
      : values_(upload(api, spec.values)), constraint_(upload(api, spec.constraint)), sweep_(spec.compiled()) {
    sweep_.values = values_.as<const double>();
    sweep_.constraint = constraint_.as<const ConstraintInstruction>();
    if (!spec.inline_collective && spec.workload) {
      const Workload& w = *spec.workload;
      graph_ = w.view();  // the counts and flags; the arrays are the device copies
      nodes_ = upload(api, w.nodes);
      deps_ = upload(api, w.deps);
      child_begin_ = upload(api, w.child_begin);
      children_ = upload(api, w.children);
      parent_count_ = upload(api, w.parent_count);
      graph_.nodes = nodes_.as<const WorkloadNode>();
      graph_.deps = deps_.as<const std::int32_t>();
      graph_.child_begin = child_begin_.as<const std::int32_t>();
      graph_.children = children_.as<const std::int32_t>();
      graph_.parent_count = parent_count_.as<const std::int32_t>();
    }
  }
  const CompiledSweep& sweep() const { return sweep_; }
  const WorkloadGraphView& graph() const { return graph_; }

 private:
  DeviceBuffer values_, constraint_, nodes_, deps_, child_begin_, children_, parent_count_;
  CompiledSweep sweep_;
  WorkloadGraphView graph_{};
};

}  // namespace astra
