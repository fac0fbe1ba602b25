// The study report's "Against hardware" section: every input with its source, the calibrated
// links, the profile's own check, and per measured system the prediction and its error, as a
// Markdown table, `hardware.csv` and a plot (`hardware.png`, gnuplot).
#pragma once

#include <string>
#include <vector>

#include "host/study/hardware_spec.hpp"
#include "host/study/hardware_validation.hpp"

namespace astra {

// Writes hardware.csv (and the plot) into `dir`; returns the Markdown section. Plot warnings
// are appended to `warnings`.
std::string hardware_report_section(const HardwareSpec& spec, const HardwareResults& r, const std::string& dir,
                                    std::vector<std::string>& warnings);

// `hardware: <N> comparisons, median_abs_err=<x>%, max_abs_err=<y>%` (the study's last line).
std::string hardware_summary_line(const HardwareResults& r);

}  // namespace astra
