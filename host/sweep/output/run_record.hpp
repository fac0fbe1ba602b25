// What a results store records about one run of a sweep (the `runs` table of the SQLite store,
// and the key a resumable CSV/JSONL output checks before it continues an interrupted run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "host/build_info.hpp"

namespace astra {

struct SweepSpec;

struct RunRecord {
  std::string spec_hash;    // stable_hash_hex of the spec text and the files it names
  std::string spec_text;    // the spec file as written
  std::string version = astra_version();
  std::string git_commit = astra_git_commit();
  std::string backend, device_name;
  std::string started_at;   // ISO 8601 UTC
  std::uint64_t first_point = 0, end_point = 0;  // the point indices this run covers
  std::string shard;        // "K/N" for --shard or an MPI rank's block, else ""
  std::string columns;      // the output's column names, comma-separated
  // Two runs may continue each other (--resume) only when these agree.
  std::string resume_key() const;
};

// FNV-1a, 64 bits, as 16 lowercase hex digits: stable across builds, machines and runs.
std::string stable_hash_hex(std::string_view text);
// Now, as 2026-11-25T21:04:19Z.
std::string utc_timestamp_now();
// The record of a run of `spec` over [first_point, end_point) (backend and device left empty).
RunRecord make_run_record(const SweepSpec& spec, std::uint64_t first_point, std::uint64_t end_point,
                          const std::string& shard, const std::string& columns);

}  // namespace astra
