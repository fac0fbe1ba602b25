#include "host/nightly/run_output.hpp"

#include "host/input/input_error.hpp"
#include "host/nightly/part_file_output.hpp"
#include "host/sweep/output/columnar_output.hpp"

namespace astra {
namespace {

bool ends_with(const std::string& s, const char* e) {
  const std::string ext(e);
  return s.size() >= ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0;
}

}  // namespace

bool is_sqlite_path(const std::string& path) {
  return ends_with(path, ".sqlite") || ends_with(path, ".sqlite3") || ends_with(path, ".db");
}

void check_output_path(const std::string& path) {
  if (path.empty() || path == "-" || is_sqlite_path(path) || ends_with(path, ".csv") || ends_with(path, ".jsonl") ||
      ends_with(path, ".ndjson") || is_columnar_path(path))
    return;
  throw InputError("--out", path, "unknown output format (use .csv, .jsonl, .sqlite or .npy.d)");
}

RunOutput open_run_output(const std::string& path, const std::vector<Column>& columns, const RunRecord& run,
                          bool resume, double checkpoint_seconds) {
  RunOutput out;
  out.first_point = run.first_point;
  if (path.empty() || path == "-") {
    if (resume) throw InputError("--resume", "stdout", "needs --out FILE (.csv, .jsonl or .sqlite)");
    out.writer = open_result_writer(path, columns);
  } else if (is_sqlite_path(path)) {
    out.writer = open_sqlite_store(path, columns, run, resume, checkpoint_seconds, out.first_point, out.note);
  } else if (is_columnar_path(path)) {
    out.writer = open_columnar_store(path, columns, run, resume, checkpoint_seconds, out.first_point, out.note);
  } else if (ends_with(path, ".csv") || ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) {
    auto parts = std::make_unique<PartFileOutput>(path, columns, run, resume, checkpoint_seconds, out.note);
    out.first_point = parts->resume_point();
    out.writer = std::move(parts);
  } else {
    out.writer = open_result_writer(path, columns);  // its message for an unknown extension
  }
  return out;
}

}  // namespace astra
