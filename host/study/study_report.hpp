// Writes the study's results: CSV tables (every neighbourhood point, scaling per NPU count, the
// per-layer breakdown of each default point), PNG plots (gnuplot) and a Markdown report that
// a newcomer can read without knowing ASTRA-sim.
#pragma once

#include <string>

#include "host/study/hardware_validation.hpp"
#include "host/study/resnet_study.hpp"

namespace astra {

// Returns the path of the Markdown report. With `hardware` (the spec's hardware section run), the
// report ends with the comparison against measured systems (study/hardware_report.hpp).
std::string write_study_report(const StudySpec& spec, const StudyResults& results, const std::string& out_dir,
                               const HardwareResults* hardware = nullptr);

}  // namespace astra
