#include "calibration/calibration_csv_writer.hpp"

#include <cmath>
#include <cstdio>

namespace astra::calibration {

std::string calibration_csv_text(const CalibrationResult& result) {
  std::string out = "size_bytes,measured_time_us,predicted_time_us,ape,split,regime\n";
  char buf[256];
  for (const auto& s : result.sizes) {
    if (std::isnan(s.predicted_us)) {
      std::snprintf(buf, sizeof buf, "%llu,%.6g,,,%s,%zu\n", static_cast<unsigned long long>(s.size_bytes),
                    s.measured_us, s.held_out ? "holdout" : "fit", s.regime + 1);
    } else {
      std::snprintf(buf, sizeof buf, "%llu,%.6g,%.6f,%.6f,%s,%zu\n", static_cast<unsigned long long>(s.size_bytes),
                    s.measured_us, s.predicted_us, s.ape, s.held_out ? "holdout" : "fit", s.regime + 1);
    }
    out += buf;
  }
  return out;
}

}  // namespace astra::calibration
