#include "host/golden/golden_replay.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <ostream>
#include <thread>

#include "host/sweep/parallel_for_chunks.hpp"

namespace astra::golden {

namespace {

struct Outcome {
  bool evaluated = false;  // the engine answered (no exception)
  SimulationResult result;
  std::string error;
};

std::optional<std::int64_t> stat_value(const NpuStatistics& s, const std::string& name) {
  if (name == "Wall time") return static_cast<std::int64_t>(s.wall_ns);
  if (name == "Comm time") return s.comm_ns ? std::optional<std::int64_t>(static_cast<std::int64_t>(*s.comm_ns)) : std::nullopt;
  if (name == "GPU time") return s.gpu_ns ? std::optional<std::int64_t>(static_cast<std::int64_t>(*s.gpu_ns)) : std::nullopt;
  if (name == "Total compute-communication overlap")
    return s.overlap_ns ? std::optional<std::int64_t>(static_cast<std::int64_t>(*s.overlap_ns)) : std::nullopt;
  if (name == "exposed_communication_cycles") return s.exposed_comm_ns;
  return std::nullopt;
}

bool stats_identical(const GoldenCase& c, const SimulationResult& r) {
  static const char* kNames[] = {"Wall time", "Comm time", "GPU time", "Total compute-communication overlap",
                                 "exposed_communication_cycles"};
  for (const char* name : kNames) {
    const auto it = c.expected_stats.find(name);
    for (std::size_t npu = 0; npu < r.stats.size(); ++npu) {
      std::optional<std::int64_t> want;
      if (it != c.expected_stats.end() && npu < it->second.size()) want = it->second[npu];
      std::optional<std::int64_t> got;
      if (r.stats[npu]) got = stat_value(*r.stats[npu], name);
      if (want != got) return false;
    }
  }
  return true;
}

bool selected(const GoldenCase& c, const ReplayOptions& o) { return o.backend == "all" || o.backend == c.backend_name; }

}  // namespace

ReplaySummary replay_golden(const std::vector<GoldenCase>& cases, const CaseRunner& engine,
                            const ReplayOptions& options, std::ostream& out) {
  std::vector<const GoldenCase*> todo;
  for (const auto& c : cases)
    if (selected(c, options)) todo.push_back(&c);

  std::vector<Outcome> outcomes(todo.size());
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  parallel_for_chunks(todo.size(), threads, 1, [&](unsigned, std::uint64_t i) {
    const GoldenCase& c = *todo[i];
    if (!c.load_error.empty()) {
      outcomes[i].error = c.load_error;
      return;
    }
    try {
      outcomes[i].result = engine(c);
      outcomes[i].evaluated = true;
    } catch (const std::exception& e) {
      outcomes[i].error = e.what();
    }
  });

  struct Group {
    std::size_t ok = 0, exact = 0, within = 0, errors = 0, non_ok = 0;
    double max_rel = 0;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  std::map<std::string, std::size_t> non_ok_tally;  // "golden status -> our answer"
  std::vector<std::string> mismatches;
  std::vector<double> rel_errors;
  ReplaySummary s;

  for (std::size_t i = 0; i < todo.size(); ++i) {
    const GoldenCase& c = *todo[i];
    const Outcome& o = outcomes[i];
    Group& g = groups[{c.set, c.backend_name}];
    const std::string ours = o.evaluated ? sim_status_name(o.result.status) : "error";
    if (c.expected_status != "ok") {
      ++g.non_ok;
      ++s.non_ok_cases;
      std::string answer = ours;
      if (o.evaluated && o.result.status == SimStatus::Rejected) answer += " (" + o.result.message + ")";
      if (!o.evaluated) answer += " (" + o.error + ")";
      ++non_ok_tally[fmt::format("ASTRA-sim {:<10} ({}) -> astra-sweep {}", c.expected_status, c.failure_signature, answer)];
      continue;
    }
    ++g.ok;
    ++s.ok_cases;
    std::uint64_t want = 0;
    for (const auto& f : c.expected_finish_ns) want = std::max(want, f.value_or(0));
    if (!o.evaluated || o.result.status != SimStatus::Ok) {
      ++g.errors;
      ++s.errors;
      rel_errors.push_back(std::numeric_limits<double>::infinity());
      g.max_rel = std::numeric_limits<double>::infinity();
      mismatches.push_back(fmt::format("{} {}: ASTRA-sim ok {} | ours {} {}", c.id, c.backend_name, want, ours,
                                       o.evaluated ? o.result.message : o.error));
      continue;
    }
    const std::uint64_t got = o.result.max_finish_ns();
    const double rel = want ? std::fabs(static_cast<double>(got) - static_cast<double>(want)) / static_cast<double>(want)
                            : (got == 0 ? 0.0 : std::numeric_limits<double>::infinity());
    rel_errors.push_back(rel);
    g.max_rel = std::max(g.max_rel, rel);
    const bool within = rel <= options.tolerance;
    g.within += within;
    s.within += within;
    const bool exact = o.result.finish_ns == c.expected_finish_ns && stats_identical(c, o.result);
    g.exact += exact;
    s.exact += exact;
    if (!exact)
      mismatches.push_back(fmt::format("{} {}: ASTRA-sim max finish {} | ours {} (rel err {:.3g}){}", c.id,
                                       c.backend_name, want, got, rel,
                                       got == want ? " - per-NPU finish or statistics differ" : ""));
  }

  out << fmt::format("{:<10} {:<19} {:>6} {:>6} {:>9} {:>12} {:>7} {:>7}\n", "set", "backend", "ok", "exact",
                     "within", "max_rel_err", "errors", "non-ok");
  for (const auto& [key, g] : groups)
    out << fmt::format("{:<10} {:<19} {:>6} {:>6} {:>9} {:>12.3g} {:>7} {:>7}\n", key.first, key.second, g.ok, g.exact,
                       g.within, g.max_rel, g.errors, g.non_ok);
  if (!non_ok_tally.empty()) {
    out << "\nCases ASTRA-sim did not finish, and what astra-sweep answered instead:\n";
    for (const auto& [what, n] : non_ok_tally) out << fmt::format("  {:>4} x {}\n", n, what);
  }
  if (!mismatches.empty()) {
    out << fmt::format("\nMismatches on ok cases ({}):\n", mismatches.size());
    for (std::size_t i = 0; i < mismatches.size() && i < options.show_mismatches; ++i) out << "  " << mismatches[i] << "\n";
    if (mismatches.size() > options.show_mismatches)
      out << fmt::format("  ... {} more\n", mismatches.size() - options.show_mismatches);
  }
  if (!rel_errors.empty()) {
    std::sort(rel_errors.begin(), rel_errors.end());
    s.max_rel_err = rel_errors.back();
    const std::size_t n = rel_errors.size();
    s.median_rel_err = n % 2 ? rel_errors[n / 2] : (rel_errors[n / 2 - 1] + rel_errors[n / 2]) / 2;
  }
  out << fmt::format("exact (every NPU's finish time and every statistic identical): {} of {}\n", s.exact, s.ok_cases);
  out << fmt::format("golden: {} cases, {} within {:g}%, max_rel_err={:.3g}, median_rel_err={:.3g}, errors={}\n",
                     s.ok_cases, s.within, options.tolerance * 100, s.max_rel_err, s.median_rel_err, s.errors);
  return s;
}

}  // namespace astra::golden
