// calibration.csv: one row per measured size,
//   size_bytes,measured_time_us,predicted_time_us,ape,split,regime
// split is fit or holdout; ape is a fraction (|pred - meas| / meas); predicted_time_us is empty
// where the model rejected the point.
#pragma once

#include <string>

#include "host/calibration/calibrator.hpp"

namespace astra::calibration {

std::string calibration_csv_text(const CalibrationResult& result);

}  // namespace astra::calibration
