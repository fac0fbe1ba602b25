#include "host/reference/workload_runner.hpp"

#include <algorithm>
#include <utility>

#include "kernels/model/compute_time.hpp"

namespace astra::reference {

WorkloadRunner::WorkloadRunner(NpuSystem& sys, const Workload& workload, double compute_scale)
    : sys_(sys), workload_(workload), compute_scale_(compute_scale) {
  const std::size_t n = workload.nodes.size();
  missing_parents_.assign(n, 0);
  children_.assign(n, {});
  timings_.assign(n, {});
  issued_.assign(n, false);
  done_.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const WorkloadNode& node = workload.nodes[i];
    // a parent listed twice counts once, as in a set of parents
    std::set<std::int32_t> parents(workload.deps.begin() + node.deps_begin,
                                   workload.deps.begin() + node.deps_begin + node.deps_count);
    missing_parents_[i] = static_cast<std::int32_t>(parents.size());
    for (std::int32_t p : parents) children_[static_cast<std::size_t>(p)].push_back(static_cast<std::int32_t>(i));
    if (parents.empty()) ready_.insert(static_cast<std::int32_t>(i));
  }
}

void WorkloadRunner::on_finished(std::optional<std::int32_t> node) {
  if (finished_at_) return;
  if (node) {
    const auto i = static_cast<std::size_t>(*node);
    (workload_.nodes[i].kind == NodeKind::Compute ? compute_busy_ : comm_busy_) = false;
    timings_[i].finish_ns = sys_.now_ns();
    done_[i] = true;
    --in_flight_;
    for (std::int32_t c : children_[i])
      if (--missing_parents_[static_cast<std::size_t>(c)] == 0) ready_.insert(c);
  }
  issue_ready();
  if (ready_.empty() && in_flight_ == 0 && !compute_busy_ && !comm_busy_) finished_at_ = sys_.now_ns();
}

void WorkloadRunner::issue_ready() {
  const std::vector<std::int32_t> candidates(ready_.begin(), ready_.end());  // increasing node order
  for (std::int32_t id : candidates) {
    const auto i = static_cast<std::size_t>(id);
    const WorkloadNode& node = workload_.nodes[i];
    bool& busy = node.kind == NodeKind::Compute ? compute_busy_ : comm_busy_;
    if (busy) continue;
    ready_.erase(id);
    busy = true;
    ++in_flight_;
    issued_[i] = true;
    timings_[i].issue_ns = sys_.now_ns();
    if (node.kind == NodeKind::Compute) {
      const std::uint64_t runtime_ns = compute_duration_ns(node.duration_us, compute_scale_);
      compute_total_ns_ += runtime_ns;
      sys_.register_event([this, id] { on_finished(id); }, runtime_ns);
    } else {
      sys_.generate_collective(node.collective, node.size_bytes, [this, id] { on_finished(id); });
    }
  }
}

namespace {
std::uint64_t union_length(std::vector<std::pair<std::uint64_t, std::uint64_t>> intervals) {
  if (intervals.empty()) return 0;
  std::sort(intervals.begin(), intervals.end());
  std::uint64_t total = 0;
  auto [s, e] = intervals.front();
  for (const auto& [a, b] : intervals) {
    if (a <= e) {
      e = std::max(e, b);
    } else {
      total += e - s;
      s = a;
      e = b;
    }
  }
  return total + (e - s);
}
}  // namespace

NpuStatistics WorkloadRunner::statistics() const {
  NpuStatistics st;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> compute, comm;
  for (std::size_t i = 0; i < timings_.size(); ++i) {
    if (!done_[i]) continue;
    st.wall_ns = std::max(st.wall_ns, timings_[i].finish_ns);
    (workload_.nodes[i].kind == NodeKind::Compute ? compute : comm)
        .emplace_back(timings_[i].issue_ns, timings_[i].finish_ns);
  }
  if (!comm.empty()) st.comm_ns = union_length(comm);
  if (!compute.empty()) st.gpu_ns = union_length(compute);
  if (st.comm_ns && st.gpu_ns) {
    const auto overlap = static_cast<std::int64_t>(*st.gpu_ns + *st.comm_ns) - static_cast<std::int64_t>(st.wall_ns);
    if (overlap > 0) st.overlap_ns = static_cast<std::uint64_t>(overlap);
  }
  st.compute_ns = compute_total_ns_;
  st.exposed_comm_ns = static_cast<std::int64_t>(finished_at_.value_or(0)) - static_cast<std::int64_t>(compute_total_ns_);
  return st;
}

}  // namespace astra::reference
