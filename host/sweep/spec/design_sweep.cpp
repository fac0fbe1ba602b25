#include "host/sweep/spec/design_sweep.hpp"

#include <limits>

#include "host/input/input_error.hpp"

namespace astra {

SweepSpec make_design_sweep(const std::string& name, const SweepPoint& base, std::shared_ptr<const Workload> workload,
                            std::vector<DesignGroup> groups) {
  SweepSpec spec;
  spec.file = name;
  spec.name = name;
  spec.base = base;
  spec.inline_collective = workload == nullptr;
  spec.workload = workload ? std::move(workload)
                           : std::make_shared<const Workload>(Workload::single_collective(base.collective, base.size_bytes));
  spec.limit = std::numeric_limits<std::uint64_t>::max();
  spec.total_points = 1;
  for (DesignGroup& g : groups) {
    if (g.keys.empty() || g.rows.empty() || g.rows.size() % g.keys.size() != 0)
      throw InputError(name, g.keys.empty() ? std::string("axes") : g.keys.front(),
                       "a design group needs at least one axis and one full row of values");
    SweepGroup group;
    group.kind = g.keys.size() == 1 ? SweepGroup::Kind::Axis : SweepGroup::Kind::Zip;
    group.first_axis = static_cast<int>(spec.axes.size());
    group.axis_count = static_cast<int>(g.keys.size());
    group.rows = g.rows.size() / g.keys.size();
    group.table_offset = spec.values.size();
    for (const std::string& key : g.keys) {
      if (spec.axes.size() >= static_cast<std::size_t>(kMaxSweepAxes))
        throw InputError(name, key, "more than " + std::to_string(kMaxSweepAxes) + " axes");
      spec.axes.push_back({key, resolve_axis_field(key, base, name)});
    }
    if (spec.values.empty()) spec.values = std::move(g.rows);  // large sample tables are not copied
    else spec.values.insert(spec.values.end(), g.rows.begin(), g.rows.end());
    if (spec.total_points > std::numeric_limits<std::uint64_t>::max() / group.rows)
      throw InputError(name, g.keys.front(), "the design has more than 2^64 points");
    spec.total_points *= group.rows;  // (group.rows was taken before g.rows moved)
    spec.groups.push_back(group);
  }
  return spec;
}

}  // namespace astra
