// The values of one sweep axis, expanded from its spec entry, and sampled designs.
//
//   latency_ns: [100, 200]                                  -> 100, 200
//   latency_ns: {linspace: {start: 100, stop: 400, num: 4}} -> 100, 200, 300, 400
//   bandwidth_GBps: {logspace: [50, 800, 5]}                -> 50, 100, 200, 400, 800 (geometric)
//   npus: {range: {start: 2, stop: 8, step: 2}}             -> 2, 4, 6, 8 (both ends included)
//   size_bytes: {powers_of_two: {min: 1024, max: 8192}}     -> 1024, 2048, 4096, 8192
//
// Integer fields round generated values to the nearest integer and refuse non-integers written
// out; names (topologies, algorithms, ...) are written as strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "host/sweep/spec/axis_field.hpp"

namespace astra {

inline constexpr std::uint64_t kMaxAxisTableValues = std::uint64_t{1} << 24;

// A number as written in a spec: 1e6, 0.5, 2^30 (throws InputError otherwise).
double parse_spec_number(const YAML::Node& node, const std::string& file, const std::string& where);

std::vector<double> expand_axis_values(const YAML::Node& node, const AxisField& field, const std::string& file,
                                       const std::string& where);

// One axis of a `random` or `latin_hypercube` design.
struct SampledAxis {
  AxisField field;
  std::string spelled;
  enum class Kind : std::uint8_t { Uniform, LogUniform, Choice } kind = Kind::Uniform;
  double min = 0.0, max = 0.0;  // Uniform / LogUniform (integers: both ends included)
  std::vector<double> choices;  // Choice
};

SampledAxis parse_sampled_axis(const YAML::Node& node, const AxisField& field, const std::string& spelled,
                               const std::string& file, const std::string& where);

// n rows of k = axes.size() values, row-major; the same seed gives the same rows everywhere.
std::vector<double> sample_design(const std::vector<SampledAxis>& axes, std::uint64_t n, std::uint64_t seed,
                                  bool latin_hypercube);

}  // namespace astra
