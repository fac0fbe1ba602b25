// Joins the outputs of shards or MPI ranks, given in shard order, into one output that equals
// the unsharded run's row for row: CSV (one header) and JSON Lines by concatenation, SQLite by
// copying each part's last complete run into one new run of `out`'s store. The result appears
// atomically (temporary + rename for text; one transaction for SQLite).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/sweep/output/run_record.hpp"

namespace astra {

void merge_text_outputs(const std::vector<std::string>& parts, const std::string& out);
// `run` describes the merged run (its range, backend, device); returns its run_id.
std::int64_t merge_sqlite_outputs(const std::vector<std::string>& parts, const std::string& out,
                                  const RunRecord& run);

}  // namespace astra
