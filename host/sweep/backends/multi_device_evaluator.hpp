// Several devices as one backend: each batch [first, first + count) is cut into one contiguous
// part per device (part i = [i * count / n, (i + 1) * count / n)), the parts run side by side on
// one host thread each, and the results land in place (evaluate) or the parts' reductions merge
// in device order (evaluate_reduced; every combination is order independent, so the answer is the
// single device's).
#pragma once

#include <memory>
#include <vector>

#include "host/sweep/backends/batch_evaluator.hpp"

namespace astra {

std::unique_ptr<BatchEvaluator> make_multi_device_evaluator(std::vector<std::unique_ptr<BatchEvaluator>> devices);

}  // namespace astra
