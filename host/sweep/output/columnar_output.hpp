// A binary columnar output that numpy and pandas read without a parser: `--out NAME.npy.d` is a
// folder with one .npy file per column (format 1.0, little-endian, one dimension) and
// schema.json naming, per column, its file, dtype, unit and how a missing value is stored:
//   uint64 (point_index, *_ns times): missing = 18446744073709551615
//   int64  (integer axes, exposed_comm_ns): missing = -9223372036854775808
//   float64 (real axes, *_GBps): missing = NaN
//   int32 codes for text columns (status, evaluated_by, reason, named axes): missing = -1,
//          the texts in schema.json's "categories" (codes in order of first appearance)
// Rows are built and converted on every core (write_rows). The folder is written as
// "NAME.npy.d.partial/" and renamed into place by commit(): a reader never sees half of it.
// Resumable like the CSV part files: at each checkpoint (at most every checkpoint_seconds) the
// column files are fsync'd and progress.json records the rows and the next point; --resume cuts
// the files back to the last checkpoint and continues from there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/output/result_writer.hpp"

namespace astra {

struct RunRecord;

bool is_columnar_path(const std::string& path);  // ends in ".npy.d" (or ".npy.d/")

// Not resumable: a leftover partial folder is replaced.
std::unique_ptr<ResultWriter> open_columnar_writer(const std::string& path, const std::vector<Column>& columns);

// Resumable (the run's key in run.txt); resume_point receives the first point without a row,
// `note` what was resumed or discarded.
std::unique_ptr<ResultWriter> open_columnar_store(const std::string& path, const std::vector<Column>& columns,
                                                  const RunRecord& run, bool resume, double checkpoint_seconds,
                                                  std::uint64_t& resume_point, std::string& note);

}  // namespace astra
