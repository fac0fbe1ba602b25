// Per-thread working memory of the fast evaluator on the host: one EvaluatorScratch (workload
// graphs) and one CongestionAwareScratch (congestion-aware collectives) per thread, allocated
// on first use and reused for every later point of that thread.
#pragma once

#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/evaluator_scratch.hpp"

namespace astra {

EvaluatorScratch& thread_evaluator_scratch();
aware::CongestionAwareScratch& thread_aware_scratch();

}  // namespace astra
