// Reads nccl-tests output exactly as printed (all_reduce_perf, all_gather_perf,
// reduce_scatter_perf, alltoall_perf): `#` header lines, the out-of-place and in-place column
// groups, and whatever log noise surrounds the table (NCCL INFO lines, ssh warnings, mpirun's
// `[1,0]<stdout>:` tags, which may even appear in the middle of a row).
//
//   #       size    count   type  redop  root    time  algbw  busbw #wrong    time  algbw ...
//   #        (B) (elements)                       (us) (GB/s) (GB/s)            (us) (GB/s)
//             8        2  float    sum    -1   34.98   0.00   0.00      0   34.52   0.00 ...
//
// Columns are located by name from the header line, so older layouts (no `root`, `error`
// instead of `#wrong`) read too. The collective comes from "# Collective test starting: X_perf",
// else from a unique `X_perf` on a command line in the log, else from the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "host/calibration/measured_table.hpp"

namespace astra::calibration {

// Throws InputError(file, "line N", reason) for: no table, two tables, mixed collectives,
// a row with missing or unparsable numbers, sizes that do not increase, times <= 0, and a
// collective that disagrees with `expected` or cannot be determined.
MeasuredTable parse_nccl_tests_output(std::string_view text, const std::string& file, TimeColumn column,
                                      std::optional<CollectiveKind> expected = std::nullopt);

// Removes every mpirun output tag such as "[1,0]<stdout>:" from a line.
std::string strip_mpirun_tags(std::string_view line);

}  // namespace astra::calibration
