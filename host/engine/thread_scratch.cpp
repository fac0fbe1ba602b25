#include "host/engine/thread_scratch.hpp"

#include <memory>

namespace astra {

EvaluatorScratch& thread_evaluator_scratch() {
  thread_local std::unique_ptr<EvaluatorScratch> scratch = std::make_unique<EvaluatorScratch>();
  return *scratch;
}

aware::CongestionAwareScratch& thread_aware_scratch() {
  // value-initialised once: key stamps start at 0 (no entry counts until a point stamps it)
  thread_local std::unique_ptr<aware::CongestionAwareScratch> scratch = std::make_unique<aware::CongestionAwareScratch>();
  return *scratch;
}

}  // namespace astra
