// A batch of output rows that any thread can build on demand, and the helper that formats such
// a batch on every core into text written in row order (the CSV and JSONL writers' write_rows).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sweep/parallel_for_chunks.hpp"
#include "sweep/result_columns.hpp"

namespace astra {

// Per-thread storage for building rows: text cells may point into `text`.
struct RowScratch {
  std::vector<Cell> cells;
  std::string text;
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual std::uint64_t size() const = 0;
  // Row k's cells, valid until the next call with the same scratch. Called concurrently from
  // several threads, each with its own scratch.
  virtual const std::vector<Cell>& row(std::uint64_t k, RowScratch& scratch) const = 0;
};

// Threads for formatting rows: every hardware thread.
inline unsigned row_format_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// Formats rows [0, rows.size()) with format_row(cells, text) in chunks on `threads` threads and
// hands the text to write(std::string_view) chunk by chunk in row order. Bounded memory: one wave
// of chunks (a few per thread) is formatted, then written, then the next.
template <class FormatRow, class Write>
void format_rows_in_order(const RowSource& rows, unsigned threads, FormatRow&& format_row, Write&& write) {
  constexpr std::uint64_t kChunkRows = 4096;
  const std::uint64_t count = rows.size();
  if (count == 0) return;
  threads = std::max(1u, threads);
  const std::uint64_t chunks = (count + kChunkRows - 1) / kChunkRows;
  const std::uint64_t wave = std::min<std::uint64_t>(chunks, 8ull * threads);
  std::vector<std::string> text(wave);
  std::vector<RowScratch> scratch(threads);
  for (std::uint64_t first_chunk = 0; first_chunk < chunks; first_chunk += wave) {
    const std::uint64_t in_wave = std::min(wave, chunks - first_chunk);
    parallel_for_chunks(in_wave, threads, 1, [&](unsigned worker, std::uint64_t c) {
      std::string& out = text[c];
      out.clear();
      const std::uint64_t begin = (first_chunk + c) * kChunkRows;
      const std::uint64_t end = std::min(count, begin + kChunkRows);
      for (std::uint64_t k = begin; k < end; ++k) format_row(rows.row(k, scratch[worker]), out);
    });
    for (std::uint64_t c = 0; c < in_wave; ++c) write(std::string_view(text[c]));
  }
}

}  // namespace astra
