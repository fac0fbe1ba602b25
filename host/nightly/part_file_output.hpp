// A CSV or JSON Lines output that survives being killed at any moment and can be continued.
//
// Rows go to part files in "<out>.parts/": each part holds the rows of the points
// [first, end) and appears under its final name "part-<first>-<end>.<ext>" only once complete
// (written by the sweep's own CSV/JSONL writer, fsync'd, then renamed). "run.txt" there holds
// the run's resume key (spec hash, point range, columns). A part is closed at a checkpoint (after
// a batch) once `checkpoint_seconds` have passed since the last one, and always on a stop.
// commit() concatenates the parts in point order into a temporary next to <out>, fsyncs it,
// renames it onto <out> and removes the folder: <out> is never seen half-written.
// --resume keeps the parts that chain from the range's first point and continues after them.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "host/sweep/output/run_record.hpp"
#include "host/sweep/output/result_writer.hpp"

namespace astra {

class PartFileOutput final : public ResultWriter {
 public:
  // `note` receives what was resumed or discarded (empty when nothing to say).
  PartFileOutput(std::string path, std::vector<Column> columns, const RunRecord& run, bool resume,
                 double checkpoint_seconds, std::string& note);
  ~PartFileOutput() override;

  // The first point without a row: the run continues from here.
  std::uint64_t resume_point() const { return next_point_; }

  void write_row(const std::vector<Cell>& cells) override;
  void write_rows(const RowSource& rows) override;
  void checkpoint(std::uint64_t next_point) override;
  void mark_interrupted() override;
  void commit() override;

  static std::string parts_dir(const std::string& path) { return path + ".parts"; }

 private:
  void open_part();
  void close_part(std::uint64_t end);

  std::string path_, dir_, ext_;
  std::vector<Column> columns_;
  std::uint64_t end_point_ = 0;
  std::uint64_t part_first_ = 0;  // the first point of the open part
  std::uint64_t next_point_ = 0;  // the last checkpoint
  double checkpoint_seconds_ = 1.0;
  std::chrono::steady_clock::time_point last_close_;
  std::unique_ptr<ResultWriter> part_;
};

// fsync of a file or a folder by path (false when it cannot be opened).
bool fsync_path(const std::string& path);

}  // namespace astra
