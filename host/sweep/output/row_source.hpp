// A batch of output rows that any thread can build on demand, and the helpers that turn such a
// batch into output on every core while the output itself stays in row order: rows are cut into
// chunks, worker threads build and format chunks into a ring of slots, and the calling thread
// writes the slots in chunk order as they become ready (no barrier between waves, so one slow
// thread holds back only its own chunk).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "host/sweep/output/result_columns.hpp"

namespace astra {

// Per-thread storage for building rows: text cells may point into `text`.
struct RowScratch {
  std::vector<Cell> cells;
  std::string text;
};

// The points behind a span of rows, for writers that turn evaluated points into output
// themselves (the text writers' fast path, point_row_formatter.hpp): no Cells in between.
struct RowPoints {
  std::vector<std::uint64_t> index;                 // the points' indices
  std::vector<const SweepPointResult*> result;      // their results
  std::vector<std::string> reason;                  // per row (empty text: none); empty when no row has one
};

class RowBuilder;

// Threads for formatting rows by default: every hardware thread.
inline unsigned row_format_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

class RowSource {
 public:
  virtual ~RowSource() = default;
  // How many threads the writer may use on these rows (run --threads; default every core).
  virtual unsigned threads() const { return row_format_threads(); }
  virtual std::uint64_t size() const = 0;
  // Row k's cells, valid until the next call with the same scratch. Called concurrently from
  // several threads, each with its own scratch.
  virtual const std::vector<Cell>& row(std::uint64_t k, RowScratch& scratch) const = 0;
  // Rows [begin, end) column by column into `block` at its row `at` (RowBuilder::fill_columns:
  // at 0 refilled, past 0 appended to the rows an earlier call put there, their text codes kept),
  // the columnar output's fast path; false when this source has none (the writer then uses row()).
  virtual bool fill_columns(std::uint64_t /*begin*/, std::uint64_t /*end*/, ColumnBlock& /*block*/,
                            std::uint64_t /*at*/) const {
    return false;
  }
  bool fill_columns(std::uint64_t begin, std::uint64_t end, ColumnBlock& block) const {
    return fill_columns(begin, end, block, 0);
  }
  // The builder whose rows these are (the one row() and fill_columns use), or null.
  virtual const RowBuilder* builder() const { return nullptr; }
  // Rows [begin, end) as points (refilled), false when this source has none (the writer then
  // uses row()). Only sources with a builder() have them.
  virtual bool points(std::uint64_t /*begin*/, std::uint64_t /*end*/, RowPoints& /*out*/) const { return false; }
};


// A growable byte buffer written through a pointer (no per-append bookkeeping, no zero-fill).
class CharBuffer {
 public:
  // A pointer to at least `n` free bytes at the end; finish with commit(end).
  char* reserve(std::size_t n) {
    if (cap_ - size_ < n) {
      const std::size_t cap = std::max(cap_ * 2, size_ + n + 4096);
      std::unique_ptr<char[]> data(new char[cap]);
      if (size_) std::memcpy(data.get(), data_.get(), size_);
      data_ = std::move(data);
      cap_ = cap;
    }
    return data_.get() + size_;
  }
  void commit(char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
  void append(std::string_view s) { commit(static_cast<char*>(std::memcpy(reserve(s.size()), s.data(), s.size())) + s.size()); }
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, cap_ = 0;
};

// Runs produce(worker, slot, begin, end) for chunks [begin, end) of [0, count) on `threads`
// worker threads into `slots` ring slots, and consume(slot) on the calling thread in chunk order.
// The first exception (from either side) is rethrown on the calling thread after every worker
// has stopped.
template <class Produce, class Consume>
void ordered_parallel_chunks(std::uint64_t count, std::uint64_t chunk_rows, unsigned threads, std::size_t slots,
                             Produce&& produce, Consume&& consume) {
  if (count == 0) return;
  const std::uint64_t chunks = (count + chunk_rows - 1) / chunk_rows;
  threads = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, threads), chunks));
  slots = static_cast<std::size_t>(std::min<std::uint64_t>(std::max<std::size_t>(slots, 1), chunks));
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::uint64_t> ready(slots, UINT64_MAX);  // the chunk each slot holds, once formatted
  std::uint64_t consumed = 0;                            // chunks written so far
  std::atomic<std::uint64_t> next{0};
  bool abort = false;
  std::exception_ptr error;
  auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(m);
    if (!error) error = e;
    abort = true;
    cv.notify_all();
  };
  auto worker = [&](unsigned w) {
    try {
      for (;;) {
        const std::uint64_t c = next.fetch_add(1, std::memory_order_relaxed);
        if (c >= chunks) return;
        {
          std::unique_lock lock(m);
          cv.wait(lock, [&] { return abort || c < consumed + slots; });
          if (abort) return;
        }
        const std::uint64_t begin = c * chunk_rows;
        produce(w, static_cast<std::size_t>(c % slots), begin, std::min(count, begin + chunk_rows));
        std::lock_guard lock(m);
        ready[c % slots] = c;
        cv.notify_all();
      }
    } catch (...) {
      fail(std::current_exception());
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  try {
    for (std::uint64_t c = 0; c < chunks; ++c) {
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return abort || ready[c % slots] == c; });
        if (abort) break;
      }
      consume(static_cast<std::size_t>(c % slots));
      std::lock_guard lock(m);
      consumed = c + 1;
      cv.notify_all();
    }
  } catch (...) {
    fail(std::current_exception());
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Formats rows [0, rows.size()) with format_row(cells, CharBuffer&) on `threads` threads and
// hands the text to write(std::string_view) chunk by chunk in row order. `slots` is kept by the
// caller between batches (so its memory is reused).
template <class FormatRow, class Write>
void format_rows_in_order(const RowSource& rows, unsigned threads, std::vector<CharBuffer>& slots,
                          FormatRow&& format_row, Write&& write) {
  constexpr std::uint64_t kChunkRows = 4096;
  threads = std::max(1u, threads);
  if (slots.size() < 4u * threads) slots.resize(4u * threads);
  std::vector<RowScratch> scratch(threads);
  ordered_parallel_chunks(
      rows.size(), kChunkRows, threads, slots.size(),
      [&](unsigned w, std::size_t slot, std::uint64_t begin, std::uint64_t end) {
        CharBuffer& out = slots[slot];
        out.clear();
        for (std::uint64_t k = begin; k < end; ++k) format_row(rows.row(k, scratch[w]), out);
      },
      [&](std::size_t slot) { write(slots[slot].view()); });
}

}  // namespace astra
