#include "host/calibration/calibration_csv_writer.hpp"

#include <cmath>
#include <cstdio>

#include "kernels/model/names.hpp"

namespace astra::calibration {

std::string calibration_csv_text(const CalibrationResult& result) {
  // A joint fit of several tables adds the collective of each row.
  const bool joint = result.tables.size() > 1;
  std::string out = std::string("size_bytes,measured_time_us,predicted_time_us,ape,split,regime") +
                    (joint ? ",collective\n" : "\n");
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
    if (joint) out.insert(out.size() - 1, std::string(",") + collective_name(s.collective));
  }
  return out;
}

}  // namespace astra::calibration
