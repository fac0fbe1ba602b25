// Collects the rows of one measured table in file order and enforces what a fit needs:
// sizes strictly increasing, times finite and > 0. nccl-tests prints leading rows of size 0
// (its count rounds down to 0 elements for tiny all_gather/reduce_scatter sizes): those are
// kept as excluded rows with the reason. Anything else out of order is an InputError naming
// the file and the line.
#pragma once

#include <cstdint>
#include <string>

#include "host/calibration/measured_table.hpp"

namespace astra::calibration {

class MeasuredTableBuilder {
 public:
  explicit MeasuredTableBuilder(std::string file) { table_.file = std::move(file); }

  // Throws InputError(file, "line N", reason) on a size or time that cannot be fitted.
  void add(std::uint64_t size_bytes, double time_us, int line);

  // Throws InputError when no fittable row was added.
  MeasuredTable finish(CollectiveKind collective, std::string format, int lines_read);

  bool empty() const { return table_.rows.empty() && table_.excluded.empty(); }

 private:
  MeasuredTable table_;
};

// "line 12": the field name used in every InputError about one line of a measured file.
std::string line_field(int line);

}  // namespace astra::calibration
