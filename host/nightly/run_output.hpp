// Opens where a run's rows go, for `astra-sweep run --out`: CSV on stdout (""/"-"), a resumable
// CSV/JSONL file (part_file_output.hpp) or the SQLite store (sqlite_writer.cpp), and says from
// which point the run starts (later than the range's first point when --resume finds work done).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/output/run_record.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {

struct RunOutput {
  std::unique_ptr<ResultWriter> writer;
  std::uint64_t first_point = 0;  // where the run starts
  std::string note;               // what resume found or discarded
};

bool is_sqlite_path(const std::string& path);
// Throws InputError for an output that no writer takes (before any work starts).
void check_output_path(const std::string& path);

RunOutput open_run_output(const std::string& path, const std::vector<Column>& columns, const RunRecord& run,
                          bool resume, double checkpoint_seconds);

}  // namespace astra
