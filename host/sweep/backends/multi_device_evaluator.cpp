#include "host/sweep/backends/multi_device_evaluator.hpp"

#include <exception>
#include <stdexcept>
#include <thread>

#include "host/sweep/backends/sweep_reduction.hpp"

namespace astra {
namespace {

class MultiDeviceEvaluator final : public BatchEvaluator {
 public:
  explicit MultiDeviceEvaluator(std::vector<std::unique_ptr<BatchEvaluator>> devices)
      : devices_(std::move(devices)), parts_(devices_.size()) {
    if (devices_.empty()) throw std::invalid_argument("make_multi_device_evaluator: no device");
  }

  void evaluate(std::uint64_t first, std::uint64_t count, SweepPointResult* out) override {
    side_by_side(count, [&](std::size_t d, std::uint64_t begin, std::uint64_t n) {
      devices_[d]->evaluate(first + begin, n, out + begin);
    });
  }

  void evaluate_reduced(std::uint64_t first, std::uint64_t count, const ReductionPlan& plan,
                        BatchReduction& out) override {
    side_by_side(count, [&](std::size_t d, std::uint64_t begin, std::uint64_t n) {
      devices_[d]->evaluate_reduced(first + begin, n, plan, parts_[d]);
    });
    out.reset(plan);
    for (std::size_t d = 0; d < devices_.size(); ++d)
      if (count_of(d, count) > 0) merge_reduction(plan, out, parts_[d]);
  }

  std::string backend_name() const override { return devices_.front()->backend_name(); }
  std::string device_name() const override {
    std::string name = devices_.front()->device_name();
    bool same = true;
    for (const auto& d : devices_) same = same && d->device_name() == name;
    if (same) return std::to_string(devices_.size()) + " x " + name;
    for (std::size_t d = 1; d < devices_.size(); ++d) name += " + " + devices_[d]->device_name();
    return name;
  }
  std::uint64_t preferred_batch_points() const override {
    std::uint64_t sum = 0;
    for (const auto& d : devices_) sum += d->preferred_batch_points();
    return sum;
  }

 private:
  std::uint64_t begin_of(std::size_t d, std::uint64_t count) const {
    const unsigned __int128 n = devices_.size();
    return static_cast<std::uint64_t>(static_cast<unsigned __int128>(count) * d / n);
  }
  std::uint64_t count_of(std::size_t d, std::uint64_t count) const { return begin_of(d + 1, count) - begin_of(d, count); }

  template <typename Fn>
  void side_by_side(std::uint64_t count, Fn&& fn) {
    std::vector<std::exception_ptr> errors(devices_.size());
    std::vector<std::thread> threads;
    for (std::size_t d = 0; d < devices_.size(); ++d) {
      const std::uint64_t begin = begin_of(d, count), n = count_of(d, count);
      if (n == 0) continue;
      threads.emplace_back([&, d, begin, n] {
        try {
          fn(d, begin, n);
        } catch (...) {
          errors[d] = std::current_exception();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  std::vector<std::unique_ptr<BatchEvaluator>> devices_;
  std::vector<BatchReduction> parts_;
};

}  // namespace

std::unique_ptr<BatchEvaluator> make_multi_device_evaluator(std::vector<std::unique_ptr<BatchEvaluator>> devices) {
  if (devices.size() == 1) return std::move(devices.front());
  return std::make_unique<MultiDeviceEvaluator>(std::move(devices));
}

}  // namespace astra
