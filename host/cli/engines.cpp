#include "cli/engines.hpp"

#include <stdexcept>

#include "reference/reference_simulator.hpp"

namespace astra::cli {

std::vector<std::string> engine_names() { return {"reference"}; }

CaseEngine make_engine(const std::string& name) {
  if (name == "reference")
    return [](const NetworkConfig& n, const SystemConfig& s, NetworkBackend b, const Workload& w, double scale) {
      ReferenceOptions options;
      options.compute_scale = scale;
      return simulate_reference(n, s, b, w, options);
    };
  throw std::invalid_argument("unknown engine " + name);
}

}  // namespace astra::cli
