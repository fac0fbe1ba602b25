// One measured collective-timing table (what nccl-tests printed, or a CSV of it), ready to fit:
// rows with size > 0, sizes strictly increasing, times > 0, each with the line it came from.
// Rows that cannot be fitted but are legitimate output (nccl-tests' size-0 rows) are kept in
// `excluded` with the reason, so a calibration can report what it left out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/model/config.hpp"

namespace astra::calibration {

// Which of nccl-tests' two timings to use.
enum class TimeColumn : std::uint8_t { OutOfPlace = 0, InPlace = 1 };

struct MeasuredRow {
  std::uint64_t size_bytes = 0;
  double time_us = 0.0;
  int line = 0;  // 1-based line in the source file
};

struct ExcludedRow {
  std::uint64_t size_bytes = 0;
  int line = 0;
  std::string reason;
};

struct MeasuredTable {
  std::string file;
  CollectiveKind collective = CollectiveKind::AllReduce;
  std::string format;  // "nccl-tests" or "csv"
  std::vector<MeasuredRow> rows;
  std::vector<ExcludedRow> excluded;
};

}  // namespace astra::calibration
