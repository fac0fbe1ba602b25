#include "host/sweep/output/run_record.hpp"

#include <ctime>

#include <fmt/format.h>

#include "host/input/file_text.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace astra {

std::string stable_hash_hex(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string utc_timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string RunRecord::resume_key() const {
  return fmt::format("spec_hash={} points=[{},{}) columns={}", spec_hash, first_point, end_point, columns);
}

RunRecord make_run_record(const SweepSpec& spec, std::uint64_t first_point, std::uint64_t end_point,
                          const std::string& shard, const std::string& columns) {
  RunRecord run;
  run.spec_text = read_input_file(spec.file);
  // The files the spec names change results too: hash them with it.
  std::string hashed = run.spec_text;
  for (const std::string* f : {&spec.network_file, &spec.system_file, &spec.workload_file}) {
    hashed.push_back('\0');
    if (!f->empty()) hashed += read_input_file(*f);
  }
  for (const std::string& f : spec.workload_trace_files) hashed += '\0' + read_input_file(f);
  run.spec_hash = stable_hash_hex(hashed);
  run.started_at = utc_timestamp_now();
  run.first_point = first_point;
  run.end_point = end_point;
  run.shard = shard;
  run.columns = columns;
  return run;
}

}  // namespace astra
