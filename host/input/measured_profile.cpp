#include "host/input/measured_profile.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/input/file_text.hpp"
#include "host/input/input_error.hpp"
#include "host/input/parsers.hpp"
#include "host/input/text_workload_file.hpp"

namespace astra {
namespace {

// Times above this (11.6 days) are not a measurement of one training step.
constexpr double kMaxTimeUs = 1e12;

double positive_number(const nlohmann::json& j, const char* key, const std::string& file, const std::string& where,
                       double max = kMaxTimeUs) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) throw InputError(file, where + "." + key, "missing or not a number");
  const double v = it->get<double>();
  if (!(v >= 0) || !(v <= max)) throw InputError(file, where + "." + key, "not a number in [0, " + std::to_string(max) + "]");
  return v;
}

int batch_key(const std::string& key, const std::string& file, const std::string& field) {
  char* end = nullptr;
  const long b = std::strtol(key.c_str(), &end, 10);
  if (key.empty() || *end != '\0' || b < 1 || b > 1000000) throw InputError(file, field + "." + key, "not a batch size");
  return static_cast<int>(b);
}

// Linear through (x0, y0), (x1, y1) at x; proportional when only one point.
double line_at(double x0, double y0, double x1, double y1, double x) {
  if (x1 == x0) return x0 > 0 ? y0 * x / x0 : y0;
  return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

// The two keys of `m` to interpolate between at x: the segment containing x, or the end segment.
template <typename Map>
std::pair<int, int> bracket(const Map& m, int x) {
  std::vector<int> keys;
  for (const auto& [k, v] : m) keys.push_back(k);
  if (keys.size() == 1) return {keys[0], keys[0]};
  std::size_t i = 1;
  while (i + 1 < keys.size() && keys[i] < x) ++i;
  return {keys[i - 1], keys[i]};
}

std::vector<std::string> split_ws(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

}  // namespace

MeasuredProfile parse_measured_profile(const std::string& text, const std::string& file) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw InputError(file, "", "not a JSON object");
  MeasuredProfile p;
  p.file = file;
  if (auto d = j.find("device"); d != j.end() && d->is_string()) p.device = d->get<std::string>();
  const auto its = j.find("iterations");
  if (its == j.end() || !its->is_object() || its->empty())
    throw InputError(file, "iterations", "missing or empty (whole steps per batch size)");
  for (const auto& [key, value] : its->items()) {
    const int b = batch_key(key, file, "iterations");
    p.step_us[b] = positive_number(value, "train_step_us", file, "iterations." + key);
    if (p.step_us[b] <= 0) throw InputError(file, "iterations." + key + ".train_step_us", "must be > 0");
  }
  const auto ls = j.find("layers");
  if (ls == j.end() || !ls->is_object() || ls->empty())
    throw InputError(file, "layers", "missing or empty (per-layer times per batch size)");
  for (const auto& [key, value] : ls->items()) {
    const int b = batch_key(key, file, "layers");
    if (!value.is_array() || value.empty()) throw InputError(file, "layers." + key, "not a non-empty list");
    std::vector<ProfileLayer>& out = p.layers[b];
    for (std::size_t i = 0; i < value.size(); ++i) {
      const nlohmann::json& l = value[i];
      const std::string where = "layers." + key + "[" + std::to_string(i) + "]";
      if (!l.is_object() || !l.contains("layer") || !l["layer"].is_string())
        throw InputError(file, where + ".layer", "missing or not a string");
      ProfileLayer pl;
      pl.name = l["layer"].get<std::string>();
      const double bytes = positive_number(l, "grad_bytes_fp32", file, where, 9007199254740992.0);
      if (bytes != std::floor(bytes)) throw InputError(file, where + ".grad_bytes_fp32", "not a whole number of bytes");
      pl.grad_bytes = static_cast<std::uint64_t>(bytes);
      pl.forward_us = positive_number(l, "forward_us", file, where);
      pl.input_grad_us = positive_number(l, "input_grad_us", file, where);
      pl.weight_grad_us = positive_number(l, "weight_grad_us", file, where);
      out.push_back(std::move(pl));
    }
  }
  // Every batch lists the same layers in the same order.
  const std::vector<ProfileLayer>& first = p.layers.begin()->second;
  for (const auto& [b, layers] : p.layers) {
    if (layers.size() != first.size())
      throw InputError(file, "layers." + std::to_string(b), "has " + std::to_string(layers.size()) + " layers, batch " +
                                                                std::to_string(p.layers.begin()->first) + " has " +
                                                                std::to_string(first.size()));
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (layers[i].name != first[i].name || layers[i].grad_bytes != first[i].grad_bytes)
        throw InputError(file, "layers." + std::to_string(b) + "[" + std::to_string(i) + "]",
                         "layer '" + layers[i].name + "' differs from the other batch sizes' layer '" + first[i].name +
                             "'");
  }
  return p;
}

MeasuredProfile read_measured_profile(const std::string& path) {
  return parse_measured_profile(read_input_file(path), path);
}

std::string profile_layer_name(const std::string& workload_layer) {
  static const std::regex block(R"(layer_(64|128|256|512)_(\d+)_conv([1-4]))");
  std::smatch m;
  if (std::regex_match(workload_layer, m, block)) {
    const std::string c = m[1].str();
    const int stage = c == "64" ? 1 : c == "128" ? 2 : c == "256" ? 3 : 4;
    const int b = std::stoi(m[2].str());
    if (b < 1) return "";
    const std::string conv = m[3].str() == "4" ? "downsample.0" : "conv" + m[3].str();
    return "layer" + std::to_string(stage) + "." + std::to_string(b - 1) + "." + conv;
  }
  if (workload_layer == "fc1000") return "fc";
  return workload_layer;
}

ProfileAtBatch profile_at_batch(const MeasuredProfile& p, int batch) {
  if (batch < 1) throw InputError(p.file, "batch", "must be >= 1, got " + std::to_string(batch));
  if (p.step_us.empty() || p.layers.empty()) throw InputError(p.file, "", "needs whole steps and per-layer times");
  ProfileAtBatch out;
  out.batch = batch;
  const auto [s0, s1] = bracket(p.step_us, batch);
  out.step_us = line_at(s0, p.step_us.at(s0), s1, p.step_us.at(s1), batch);
  const auto [l0, l1] = bracket(p.layers, batch);
  const auto& a = p.layers.at(l0);
  const auto& b = p.layers.at(l1);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ProfileLayer l = a[i];
    // Clamped at 0: a line through two batches may cross zero far below them.
    l.forward_us = std::max(0.0, line_at(l0, a[i].forward_us, l1, b[i].forward_us, batch));
    l.input_grad_us = std::max(0.0, line_at(l0, a[i].input_grad_us, l1, b[i].input_grad_us, batch));
    l.weight_grad_us = std::max(0.0, line_at(l0, a[i].weight_grad_us, l1, b[i].weight_grad_us, batch));
    out.isolated_us += l.forward_us + l.input_grad_us + l.weight_grad_us;
    out.layers.push_back(std::move(l));
  }
  if (!(out.step_us > 0) || !(out.isolated_us > 0))
    throw InputError(p.file, "iterations", "the step extrapolated to batch " + std::to_string(batch) + " is not positive");
  if (!(out.step_us <= kMaxTimeUs) || !(out.isolated_us <= 3 * kMaxTimeUs * static_cast<double>(out.layers.size())))
    throw InputError(p.file, "iterations", "the step extrapolated to batch " + std::to_string(batch) + " is too long");
  return out;
}

MeasuredWorkload measured_text_workload(const std::string& workload_text, const std::string& workload_file,
                                        const MeasuredProfile& profile, int batch) {
  const TextWorkloadFile parsed = read_text_workload_file(workload_text, workload_file);
  MeasuredWorkload out;
  out.at = profile_at_batch(profile, batch);
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < out.at.layers.size(); ++i) by_name[out.at.layers[i].name] = i;

  // The mapping, checked.
  std::vector<std::size_t> source(parsed.layers.size());
  std::set<std::size_t> used;
  for (std::size_t k = 0; k < parsed.layers.size(); ++k) {
    const TextLayer& l = parsed.layers[k];
    const std::string field = "line " + std::to_string(l.line);
    const std::string name = profile_layer_name(l.name);
    auto it = by_name.find(name);
    if (it == by_name.end())
      throw InputError(workload_file, field, "layer '" + l.name + "' has no layer '" + name + "' in " + profile.file);
    if (!used.insert(it->second).second)
      throw InputError(workload_file, field, "layer '" + l.name + "' maps onto '" + name + "' a second time");
    const ProfileLayer& pl = out.at.layers[it->second];
    if (static_cast<std::uint64_t>(l.wg_comm_bytes) != pl.grad_bytes)
      throw InputError(workload_file, field,
                       "layer '" + l.name + "' all-reduces " + std::to_string(l.wg_comm_bytes) + " bytes but '" + name +
                           "' has " + std::to_string(pl.grad_bytes) + " gradient bytes in " + profile.file);
    source[k] = it->second;
  }
  if (used.size() != out.at.layers.size())
    for (std::size_t i = 0; i < out.at.layers.size(); ++i)
      if (!used.count(i))
        throw InputError(workload_file, "layers",
                         "profile layer '" + out.at.layers[i].name + "' of " + profile.file + " has no workload layer");

  // The phases the workload runs (Chakra's converter has no input-gradient node for the first
  // layer of a data-parallel workload: nothing upstream needs it, and a real step skips it too).
  const std::size_t n = parsed.layers.size() * 3;
  std::vector<bool> runs(n, false);
  for (const WorkloadNode& node : parse_text_workload(workload_text, workload_file).nodes) {
    if (node.kind != NodeKind::Compute || node.layer < 0 || static_cast<std::size_t>(node.layer) >= parsed.layers.size())
      continue;
    const std::size_t phase = node.role == NodeRole::Forward         ? 0
                              : node.role == NodeRole::InputGradient ? 1
                              : node.role == NodeRole::WeightGradient ? 2
                                                                      : 3;
    if (phase < 3) runs[3 * static_cast<std::size_t>(node.layer) + phase] = true;
  }
  // Every phase that runs scaled by step / (the isolated times of the phases that run), then
  // rounded to whole us keeping the sum.
  std::vector<double> exact(n);
  for (std::size_t k = 0; k < parsed.layers.size(); ++k) {
    const ProfileLayer& pl = out.at.layers[source[k]];
    exact[3 * k] = runs[3 * k] ? pl.forward_us : 0.0;
    exact[3 * k + 1] = runs[3 * k + 1] ? pl.input_grad_us : 0.0;
    exact[3 * k + 2] = runs[3 * k + 2] ? pl.weight_grad_us : 0.0;
  }
  out.isolated_run_us = std::accumulate(exact.begin(), exact.end(), 0.0);
  if (!(out.isolated_run_us > 0)) throw InputError(workload_file, "layers", "the workload runs no profiled compute");
  const double factor = out.at.step_us / out.isolated_run_us;
  if (!std::isfinite(factor))
    throw InputError(profile.file, "layers", "the layers' times are too small for the step at batch " + std::to_string(batch));
  for (double& e : exact) e *= factor;
  const std::int64_t total = std::llround(out.at.step_us);
  std::vector<std::int64_t> whole(n);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += whole[i] = static_cast<std::int64_t>(std::floor(exact[i]));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return exact[a] - std::floor(exact[a]) > exact[b] - std::floor(exact[b]);
  });
  for (std::size_t j = 0; sum < total && j < n; ++j, ++sum) ++whole[order[j]];
  out.compute_us = sum;

  // The text with columns 3, 6 and 9 of each layer line replaced (other columns as written).
  std::istringstream in(workload_text);
  std::string line, text;
  int number = 0;
  std::size_t k = 0;
  while (std::getline(in, line)) {
    ++number;
    if (k < parsed.layers.size() && number == parsed.layers[k].line) {
      std::vector<std::string> t = split_ws(line);
      t[kColFwdCompute - 1] = std::to_string(whole[3 * k]);
      t[kColIgCompute - 1] = std::to_string(whole[3 * k + 1]);
      t[kColWgCompute - 1] = std::to_string(whole[3 * k + 2]);
      line.clear();
      for (std::size_t c = 0; c < t.size(); ++c) line += (c ? "\t" : "") + t[c];
      out.layers.push_back({parsed.layers[k].name, out.at.layers[source[k]].name, whole[3 * k], whole[3 * k + 1],
                            whole[3 * k + 2]});
      ++k;
    }
    text += line + "\n";
  }
  out.text = std::move(text);
  return out;
}

}  // namespace astra
