// A sweep spec, loaded: the base point, the axes and their value tables, the `where`
// constraints, and the compiled form that host and device threads decode points from.
//
// The spec format (YAML, or the same structure in JSON) is documented in sweeps/README.md.
// Nothing here holds one entry per point: a point exists only as its index.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/sweep/spec/axis_field.hpp"
#include "kernels/sweep/compiled_sweep.hpp"
#include "kernels/sweep/constraint_program.hpp"
#include "host/workload/workload.hpp"

namespace astra {

inline constexpr std::uint64_t kDefaultPointLimit = 1'000'000'000ULL;

struct SweepAxis {
  std::string spelled;  // the key as written in the spec
  AxisField field;      // includes the output column name
};

// One mixed-radix digit: a plain axis, a zip group or a sampled design.
struct SweepGroup {
  enum class Kind : std::uint8_t { Axis, Zip, Random, LatinHypercube } kind = Kind::Axis;
  int first_axis = 0;
  int axis_count = 0;
  std::uint64_t rows = 0;
  std::uint64_t table_offset = 0;
};

struct SweepLoadOptions {
  std::optional<std::uint64_t> limit;   // --limit; else the spec's `limit`, else kDefaultPointLimit
  std::uint64_t precount_max_points = std::uint64_t{1} << 22;  // count `where` drops up front up to this size
  std::function<void(const std::string&)> warn;  // system-JSON keys the model ignores
};

struct SweepSpec {
  std::string file;            // the spec's path, for messages
  std::string name;
  std::string network_file, system_file, workload_file;  // resolved paths ("" when inline)
  std::vector<std::string> workload_trace_files;  // `workload: {et: PREFIX}`: the rank files read
  SweepPoint base;
  bool inline_collective = true;
  std::shared_ptr<const Workload> workload;  // the base workload (a single collective when inline)
  std::vector<SweepAxis> axes;
  std::vector<SweepGroup> groups;
  std::vector<double> values;                  // every group's table
  std::vector<std::string> where;              // the constraint sources
  std::vector<ConstraintInstruction> constraint;
  std::uint64_t total_points = 1;              // before `where`
  std::uint64_t limit = kDefaultPointLimit;
  std::optional<std::uint64_t> precounted_kept;  // points `where` keeps, when counted at load

  // The plain-data form; it points into this spec's vectors (valid while the spec lives).
  CompiledSweep compiled() const;
  // A single-collective workload of the point's collective and size, or the base workload.
  Workload workload_for(const SweepPoint& point) const;
};

SweepSpec load_sweep_spec(const std::string& path, const SweepLoadOptions& options = {});
// `base_dir` resolves the spec's relative file paths.
SweepSpec parse_sweep_spec(const std::string& text, const std::string& file, const std::string& base_dir,
                           const SweepLoadOptions& options = {});

}  // namespace astra
