// Writes the study's results: CSV tables (every neighbourhood point, scaling per NPU count, the
// per-layer breakdown of each default point), PNG plots (gnuplot) and a Markdown report that
// a newcomer can read without knowing ASTRA-sim.
#pragma once

#include <string>

#include "study/resnet_study.hpp"

namespace astra {

// Returns the path of the Markdown report.
std::string write_study_report(const StudySpec& spec, const StudyResults& results, const std::string& out_dir);

}  // namespace astra
