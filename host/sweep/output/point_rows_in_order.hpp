// A text writer's fast path for a batch of rows (CSV and JSON Lines): rows straight from the
// points (point_row_formatter.hpp), chunk by chunk on every core, written in row order
// (ordered_parallel_chunks, row_source.hpp). It keeps the formatter and per-worker points between
// batches; a source without points, or with other columns than the writer's, is left to the
// writer's per-row path.
#pragma once

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/sweep/output/point_row_formatter.hpp"
#include "host/sweep/output/row_source.hpp"

namespace astra {

template <class Text>
class PointRowsInOrder {
 public:
  // The writer's columns (by name) and its dialect.
  PointRowsInOrder(const std::vector<Column>& columns, Text text) : text_(std::move(text)) {
    for (const Column& c : columns) names_.push_back(c.name);
  }

  // Writes `rows` through write(std::string_view) in order, formatted into `slots` (the writer's,
  // reused between batches); false, with nothing written, when these rows cannot take the fast path.
  template <class Write>
  bool write(const RowSource& rows, std::vector<CharBuffer>& slots, Write&& write) {
    const RowBuilder* builder = rows.builder();
    if (!builder || !same_columns(builder->columns()) || !rows.points(0, 0, probe_)) return false;
    if (!formatter_ || formatter_->builder_id() != builder->id())
      formatter_ = std::make_unique<PointRowFormatter<Text>>(*builder, text_);
    constexpr std::uint64_t kChunkRows = 4096;
    const unsigned threads = std::max(1u, rows.threads());
    if (slots.size() < 4u * threads) slots.resize(4u * threads);
    if (points_.size() < threads) points_.resize(threads);
    ordered_parallel_chunks(
        rows.size(), kChunkRows, threads, slots.size(),
        [&](unsigned w, std::size_t slot, std::uint64_t begin, std::uint64_t end) {
          CharBuffer& out = slots[slot];
          out.clear();
          if (!rows.points(begin, end, points_[w])) throw std::logic_error("text writer: a row source lost its points");
          formatter_->append(*builder, points_[w], out);
        },
        [&](std::size_t slot) { write(slots[slot].view()); });
    return true;
  }

 private:
  bool same_columns(const std::vector<Column>& columns) const {
    if (columns.size() != names_.size()) return false;
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].name != names_[c]) return false;
    return true;
  }
  Text text_;
  std::vector<std::string> names_;
  std::unique_ptr<PointRowFormatter<Text>> formatter_;
  std::vector<RowPoints> points_;  // per worker
  RowPoints probe_;
};

}  // namespace astra
