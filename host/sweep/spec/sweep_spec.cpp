#include "host/sweep/spec/sweep_spec.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "host/input/chakra/chakra_workload.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "host/sweep/spec/axis_values.hpp"
#include "host/sweep/spec/constraint_compiler.hpp"

namespace astra {
namespace {

// Inline network/system maps are handed to the JSON readers.
nlohmann::json yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& e : n) out.push_back(yaml_to_json(e));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : n) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted in the source
      long long i = 0;
      double d = 0.0;
      if (YAML::convert<long long>::decode(n, i)) return i;
      if (YAML::convert<double>::decode(n, d)) return d;
      if (s == "true" || s == "false") return s == "true";
      return s;
    }
    default: return nullptr;
  }
}

std::string resolve_path(const std::string& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

std::uint64_t parse_count(const YAML::Node& node, const std::string& file, const std::string& where) {
  const double v = parse_spec_number(node, file, where);
  if (!(v >= 1.0) || v != std::floor(v) || v > 9007199254740992.0)
    throw InputError(file, where, "must be a positive integer");
  return static_cast<std::uint64_t>(v);
}

class SpecBuilder {
 public:
  SpecBuilder(SweepSpec& spec, const std::string& base_dir, const SweepLoadOptions& options)
      : spec_(spec), base_dir_(base_dir), options_(options) {}

  void build(const YAML::Node& root) {
    const std::string& file = spec_.file;
    if (!root.IsMap()) throw InputError(file, "", "a sweep spec is a map (network, system, workload, axes, ...)");
    static const char* known[] = {"name", "description", "network", "system", "workload", "backend",
                                  "compute_scale", "limit", "axes", "where"};
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      bool ok = false;
      for (const char* k : known) ok = ok || key == k;
      if (!ok)
        throw InputError(file, key,
                         "unknown field (known: name, description, network, system, workload, backend, "
                         "compute_scale, limit, axes, where)");
    }
    if (root["name"]) spec_.name = root["name"].as<std::string>();
    load_network(root["network"]);
    load_system(root["system"]);
    load_workload(root["workload"]);
    if (const YAML::Node b = root["backend"]) {
      AxisField f = resolve_axis_field("backend", spec_.base, file);
      spec_.base.backend = static_cast<NetworkBackend>(static_cast<int>(parse_axis_name_value(f, b.as<std::string>(), file, "backend")));
    }
    if (const YAML::Node c = root["compute_scale"]) {
      spec_.base.compute_scale = parse_spec_number(c, file, "compute_scale");
      if (!(spec_.base.compute_scale > 0.0)) throw InputError(file, "compute_scale", "must be > 0");
    }
    spec_.limit = kDefaultPointLimit;
    if (const YAML::Node l = root["limit"]) spec_.limit = parse_count(l, file, "limit");
    if (options_.limit) spec_.limit = *options_.limit;

    if (const YAML::Node axes = root["axes"]) {
      if (axes.IsMap()) {
        for (const auto& kv : axes) add_entry(kv.first.as<std::string>(), kv.second);
      } else if (axes.IsSequence()) {
        for (std::size_t i = 0; i < axes.size(); ++i) {
          if (!axes[i].IsMap()) throw InputError(file, "axes[" + std::to_string(i) + "]", "expected a map");
          for (const auto& kv : axes[i]) add_entry(kv.first.as<std::string>(), kv.second);
        }
      } else if (!axes.IsNull()) {
        throw InputError(file, "axes", "expected a map of axis -> values, or a list of such maps");
      }
    }
    if (spec_.inline_collective && spec_.base.size_bytes == 0 && !has_axis(SweepField::SizeBytes))
      throw InputError(file, "workload.size_bytes", "an inline collective needs size_bytes (or a size_bytes axis)");
    count_points();
    compile_where(root["where"]);
  }

 private:
  bool has_axis(SweepField f) const {
    for (const auto& a : spec_.axes)
      if (a.field.target.field == f) return true;
    return false;
  }

  void load_network(const YAML::Node& n) {
    const std::string& file = spec_.file;
    if (!n) throw InputError(file, "network", "required: a network YAML path or an inline map");
    if (n.IsScalar()) {
      spec_.network_file = resolve_path(base_dir_, n.as<std::string>());
      spec_.base.network = read_network_yaml(spec_.network_file);
    } else if (n.IsMap()) {
      spec_.base.network = network_from_json(yaml_to_json(n), file);
    } else {
      throw InputError(file, "network", "expected a file path or a map");
    }
  }

  void load_system(const YAML::Node& n) {
    const std::string& file = spec_.file;
    if (!n) throw InputError(file, "system", "required: a system JSON path or an inline map");
    const WarningSink warn = options_.warn ? WarningSink(options_.warn) : WarningSink();
    if (n.IsScalar()) {
      spec_.system_file = resolve_path(base_dir_, n.as<std::string>());
      spec_.base.system = read_system_json(spec_.system_file, warn);
    } else if (n.IsMap()) {
      spec_.base.system = system_from_json(yaml_to_json(n), file, warn);
    } else {
      throw InputError(file, "system", "expected a file path or a map");
    }
  }

  void load_workload(const YAML::Node& n) {
    const std::string& file = spec_.file;
    spec_.inline_collective = true;
    if (!n || n.IsNull()) return;  // collective and size_bytes come from axes
    std::string path;
    int passes = 1;
    if (n.IsScalar()) {
      path = n.as<std::string>();
    } else if (n.IsMap()) {
      for (const auto& kv : n) {
        const std::string key = kv.first.as<std::string>();
        if (key != "file" && key != "passes" && key != "collective" && key != "size_bytes" && key != "et")
          throw InputError(file, "workload." + key, "unknown field (known: file, passes, collective, size_bytes, et)");
      }
      if (n["et"]) {
        if (n["file"] || n["passes"] || n["collective"] || n["size_bytes"])
          throw InputError(file, "workload.et", "a trace set stands alone (no file, passes, collective or size_bytes)");
        load_traces(n["et"].as<std::string>());
        return;
      }
      if (n["file"]) {
        if (n["collective"] || n["size_bytes"])
          throw InputError(file, "workload", "give either a workload file or an inline collective, not both");
        path = n["file"].as<std::string>();
        if (n["passes"]) passes = static_cast<int>(parse_count(n["passes"], file, "workload.passes"));
      } else {
        if (n["collective"]) {
          AxisField f = resolve_axis_field("collective", spec_.base, file);
          spec_.base.collective = static_cast<CollectiveKind>(
              static_cast<int>(parse_axis_name_value(f, n["collective"].as<std::string>(), file, "workload.collective")));
        }
        if (n["size_bytes"]) spec_.base.size_bytes = parse_count(n["size_bytes"], file, "workload.size_bytes");
        return;
      }
    } else {
      throw InputError(file, "workload", "expected a workload file path or {collective, size_bytes}");
    }
    spec_.inline_collective = false;
    spec_.workload_file = resolve_path(base_dir_, path);
    spec_.workload = std::make_shared<const Workload>(read_text_workload(spec_.workload_file, passes));
  }

  // Chakra traces (PREFIX.<rank>.et, or a folder of them) for the base network's NPUs, as ASTRA-sim
  // reads them; every rank runs the same graph (chakra_workload.hpp), so it serves every point.
  void load_traces(const std::string& path) {
    const std::int64_t npus = spec_.base.network.total_npus();
    const std::string prefix = chakra::resolve_chakra_prefix(resolve_path(base_dir_, path));
    spec_.inline_collective = false;
    spec_.workload = std::make_shared<const Workload>(chakra::read_chakra_workload(prefix, npus));
    chakra::check_roofline_off(*spec_.workload, spec_.system_file);
    for (std::int64_t r = 0; r < npus; ++r) spec_.workload_trace_files.push_back(chakra::chakra_rank_file(prefix, r));
  }

  AxisField axis_field(const std::string& key, const std::string& where) {
    const std::string& file = spec_.file;
    AxisField f = resolve_axis_field(key, spec_.base, file);
    const SweepField sf = f.target.field;
    if (!spec_.inline_collective && (sf == SweepField::Collective || sf == SweepField::SizeBytes))
      throw InputError(file, where, key + " needs an inline collective workload (workload: {collective, size_bytes})");
    if (!spec_.workload_trace_files.empty() && sf == SweepField::NpusCount)
      throw InputError(file, where, key + " cannot vary with a trace workload: the trace set was read for the network's " +
                                        std::to_string(spec_.workload_trace_files.size()) + " NPUs (one file per NPU)");
    if (spec_.inline_collective && sf == SweepField::ComputeScale)
      throw InputError(file, where, "compute_scale only acts on workload files (a lone collective has no compute)");
    for (const auto& a : spec_.axes)
      if (a.field.column == f.column) throw InputError(file, where, "the axis " + f.column + " appears twice");
    if (spec_.axes.size() >= static_cast<std::size_t>(kMaxSweepAxes))
      throw InputError(file, where, "more than " + std::to_string(kMaxSweepAxes) + " axes");
    return f;
  }

  void add_group(SweepGroup::Kind kind, int first_axis, std::uint64_t rows, const std::vector<double>& table) {
    SweepGroup g;
    g.kind = kind;
    g.first_axis = first_axis;
    g.axis_count = static_cast<int>(spec_.axes.size()) - first_axis;
    g.rows = rows;
    g.table_offset = spec_.values.size();
    if (spec_.values.size() + table.size() > kMaxAxisTableValues)
      throw InputError(spec_.file, "axes", "the axis tables hold more than 2^24 values in all");
    spec_.values.insert(spec_.values.end(), table.begin(), table.end());
    spec_.groups.push_back(g);
  }

  void add_entry(const std::string& key, const YAML::Node& value) {
    const std::string& file = spec_.file;
    const std::string where = "axes." + key;
    if (key == "zip" || key.rfind("zip_", 0) == 0) return add_zip(value, where);
    if (key == "random" || key == "latin_hypercube") return add_sampled(value, where, key == "latin_hypercube");
    AxisField f = axis_field(key, where);
    const int first = static_cast<int>(spec_.axes.size());
    std::vector<double> values = expand_axis_values(value, f, file, where);
    spec_.axes.push_back({key, f});
    add_group(SweepGroup::Kind::Axis, first, values.size(), values);
  }

  void add_zip(const YAML::Node& value, const std::string& where) {
    const std::string& file = spec_.file;
    if (!value.IsMap() || value.size() == 0)
      throw InputError(file, where, "a zip group is a map of axis -> values, all of the same length");
    const int first = static_cast<int>(spec_.axes.size());
    std::vector<std::vector<double>> columns;
    for (const auto& kv : value) {
      const std::string key = kv.first.as<std::string>();
      AxisField f = axis_field(key, where + "." + key);
      columns.push_back(expand_axis_values(kv.second, f, file, where + "." + key));
      spec_.axes.push_back({key, f});
      if (columns.back().size() != columns.front().size())
        throw InputError(file, where + "." + key,
                         "has " + std::to_string(columns.back().size()) + " values but " + spec_.axes[first].spelled +
                             " has " + std::to_string(columns.front().size()) + "; zipped axes need equal lengths");
    }
    const std::size_t rows = columns.front().size();
    std::vector<double> table(rows * columns.size());
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < columns.size(); ++j) table[r * columns.size() + j] = columns[j][r];
    add_group(SweepGroup::Kind::Zip, first, rows, table);
  }

  void add_sampled(const YAML::Node& value, const std::string& where, bool lhs) {
    const std::string& file = spec_.file;
    if (!value.IsMap()) throw InputError(file, where, "expected {n, seed, axes}");
    for (const auto& kv : value) {
      const std::string k = kv.first.as<std::string>();
      if (k != "n" && k != "seed" && k != "axes") throw InputError(file, where + "." + k, "unknown field (known: n, seed, axes)");
    }
    if (!value["n"]) throw InputError(file, where + ".n", "required: the number of samples");
    const std::uint64_t n = parse_count(value["n"], file, where + ".n");
    std::uint64_t seed = 0;
    if (value["seed"]) {
      const double s = parse_spec_number(value["seed"], file, where + ".seed");
      if (!(s >= 0.0) || s != std::floor(s)) throw InputError(file, where + ".seed", "must be a non-negative integer");
      seed = static_cast<std::uint64_t>(s);
    }
    const YAML::Node axes = value["axes"];
    if (!axes || !axes.IsMap() || axes.size() == 0)
      throw InputError(file, where + ".axes", "a sampled design needs a map of axis -> {min, max} or values");
    if (n * axes.size() > kMaxAxisTableValues)
      throw InputError(file, where + ".n", "the samples would hold more than 2^24 values");
    const int first = static_cast<int>(spec_.axes.size());
    std::vector<SampledAxis> sampled;
    for (const auto& kv : axes) {
      const std::string key = kv.first.as<std::string>();
      AxisField f = axis_field(key, where + ".axes." + key);
      sampled.push_back(parse_sampled_axis(kv.second, f, key, file, where + ".axes." + key));
      spec_.axes.push_back({key, f});
    }
    add_group(lhs ? SweepGroup::Kind::LatinHypercube : SweepGroup::Kind::Random, first, n,
              sample_design(sampled, n, seed, lhs));
  }

  void count_points() {
    const std::string& file = spec_.file;
    std::uint64_t total = 1;
    for (const SweepGroup& g : spec_.groups) {
      if (g.rows != 0 && total > UINT64_MAX / g.rows)
        throw InputError(file, "axes", "the design has more than 2^64 points");
      total *= g.rows;
    }
    spec_.total_points = total;
    if (total > spec_.limit)
      throw InputError(file, "axes",
                       "the design has " + std::to_string(total) + " points, more than the limit of " +
                           std::to_string(spec_.limit) + " (raise it with --limit or `limit:`, or sample it with random/latin_hypercube)");
  }

  void compile_where(const YAML::Node& w) {
    const std::string& file = spec_.file;
    if (!w || w.IsNull()) return;
    std::vector<std::string> sources;
    if (w.IsScalar()) sources.push_back(w.as<std::string>());
    else if (w.IsSequence())
      for (const auto& e : w) sources.push_back(e.as<std::string>());
    else throw InputError(file, "where", "expected an expression or a list of expressions");
    std::vector<ConstraintName> names;
    auto base_name = [](const std::string& n) { return n.substr(0, n.find('[')); };
    for (int a = 0; a < static_cast<int>(spec_.axes.size()); ++a) {
      const SweepAxis& axis = spec_.axes[a];
      names.push_back({axis.spelled, a, axis.field});
      if (axis.field.column != axis.spelled) names.push_back({axis.field.column, a, axis.field});
      // `npus` for `npus[0]` when no other axis has that name.
      const std::string short_name = base_name(axis.spelled);
      int sharing = 0;
      for (const SweepAxis& other : spec_.axes) sharing += base_name(other.spelled) == short_name ? 1 : 0;
      if (short_name != axis.spelled && sharing == 1) names.push_back({short_name, a, axis.field});
    }
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const std::string where = "where[" + std::to_string(i) + "]";
      std::vector<ConstraintInstruction> p = compile_constraint(sources[i], names, file, where);
      spec_.constraint.insert(spec_.constraint.end(), p.begin(), p.end());
      if (i > 0) spec_.constraint.push_back({ConstraintOp::And, 0, 0.0});
      if (spec_.constraint.size() > static_cast<std::size_t>(kMaxConstraintInstructions))
        throw InputError(file, "where", "the constraints are too long in all");
    }
    spec_.where = sources;
    if (spec_.total_points <= options_.precount_max_points) {
      const CompiledSweep s = spec_.compiled();
      std::uint64_t kept = 0;
      double axis_values[kMaxSweepAxes];
      for (std::uint64_t i = 0; i < s.total_points; ++i) {
        decode_axis_values(s, i, axis_values);
        if (constraint_accepts(s.constraint, s.constraint_length, axis_values)) ++kept;
      }
      spec_.precounted_kept = kept;
      if (kept == 0)
        throw InputError(file, "where",
                         "the constraints remove every one of the " + std::to_string(spec_.total_points) + " points");
    }
  }

  SweepSpec& spec_;
  std::string base_dir_;
  const SweepLoadOptions& options_;
};

}  // namespace

CompiledSweep SweepSpec::compiled() const {
  CompiledSweep s;
  s.base = base;
  s.inline_collective = inline_collective;
  s.axis_count = static_cast<std::int32_t>(axes.size());
  for (std::size_t a = 0; a < axes.size(); ++a) s.axes[a] = axes[a].field.target;
  s.digit_count = static_cast<std::int32_t>(groups.size());
  std::uint64_t stride = 1;
  for (std::size_t k = groups.size(); k-- > 0;) {  // the last group varies fastest
    SweepDigit& d = s.digits[k];
    d.rows = groups[k].rows;
    d.stride = stride;
    d.first_axis = groups[k].first_axis;
    d.axis_count = groups[k].axis_count;
    d.table_offset = groups[k].table_offset;
    stride *= groups[k].rows;
  }
  s.total_points = total_points;
  s.values = values.data();
  s.constraint = constraint.data();
  s.constraint_length = static_cast<std::int32_t>(constraint.size());
  return s;
}

Workload SweepSpec::workload_for(const SweepPoint& point) const {
  if (inline_collective) return Workload::single_collective(point.collective, point.size_bytes);
  return *workload;
}

SweepSpec parse_sweep_spec(const std::string& text, const std::string& file, const std::string& base_dir,
                           const SweepLoadOptions& options) {
  SweepSpec spec;
  spec.file = file;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "", std::string("not valid YAML/JSON: ") + e.what());
  }
  SpecBuilder builder(spec, base_dir, options);
  try {
    builder.build(root);
  } catch (const YAML::Exception& e) {
    throw InputError(file, "", std::string("unexpected structure: ") + e.what());
  }
  return spec;
}

SweepSpec load_sweep_spec(const std::string& path, const SweepLoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the sweep spec");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  return parse_sweep_spec(buffer.str(), path, base_dir, options);
}

}  // namespace astra
