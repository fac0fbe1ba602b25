#include "host/sweep/spec/axis_values.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "host/input/input_error.hpp"

namespace astra {
namespace {

bool parse_plain_number(std::string_view s, double& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// A deterministic generator (splitmix64): the same seed gives the same samples on any platform.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(unit() * static_cast<double>(n)); }
};

double checked_value(double v, const AxisField& field, bool generated, const std::string& file,
                     const std::string& where) {
  if (!std::isfinite(v)) throw InputError(file, where, "values must be finite numbers");
  if (field.kind == AxisValueKind::Integer) {
    if (generated) return std::nearbyint(v);
    if (v != std::floor(v))
      throw InputError(file, where, field.column + " takes integers, not " + std::to_string(v));
    if (std::fabs(v) > 9007199254740992.0) throw InputError(file, where, "integers above 2^53 are not supported");
  }
  return v;
}

double scalar_value(const YAML::Node& node, const AxisField& field, const std::string& file,
                    const std::string& where) {
  if (!node.IsScalar()) throw InputError(file, where, "expected a single value");
  if (field.kind == AxisValueKind::Name) return parse_axis_name_value(field, node.Scalar(), file, where);
  return checked_value(parse_spec_number(node, file, where), field, false, file, where);
}

// Arguments of a generator, written as a map ({start: 1, stop: 2}) or a list ([1, 2]).
double generator_arg(const YAML::Node& args, const char* name, int position, const std::string& file,
                     const std::string& where, const double* fallback = nullptr) {
  YAML::Node v;
  if (args.IsMap()) {
    v = args[name];
  } else if (args.IsSequence() && position < static_cast<int>(args.size())) {
    v = args[position];
  }
  if (!v || v.IsNull()) {
    if (fallback) return *fallback;
    throw InputError(file, where + "." + name, "missing");
  }
  return parse_spec_number(v, file, where + "." + name);
}

void check_generator_keys(const YAML::Node& args, std::initializer_list<const char*> names, const std::string& file,
                          const std::string& where) {
  if (args.IsSequence()) {
    if (args.size() > names.size())
      throw InputError(file, where, "takes at most " + std::to_string(names.size()) + " arguments");
    return;
  }
  if (!args.IsMap()) throw InputError(file, where, "expected a map or a list of arguments");
  for (const auto& kv : args) {
    const std::string key = kv.first.as<std::string>();
    bool known = false;
    for (const char* n : names) known = known || key == n;
    if (!known) throw InputError(file, where + "." + key, "unknown field");
  }
}

std::uint64_t checked_count(double num, const std::string& file, const std::string& where) {
  if (!(num >= 1.0) || num != std::floor(num))
    throw InputError(file, where, "num must be a positive integer, not " + std::to_string(num));
  if (num > static_cast<double>(kMaxAxisTableValues))
    throw InputError(file, where, "more than 2^24 values on one axis");
  return static_cast<std::uint64_t>(num);
}

}  // namespace

double parse_spec_number(const YAML::Node& node, const std::string& file, const std::string& where) {
  if (!node || !node.IsScalar()) throw InputError(file, where, "expected a number");
  const std::string& s = node.Scalar();
  double v = 0.0;
  if (parse_plain_number(s, v)) return v;
  if (const auto caret = s.find('^'); caret != std::string::npos) {
    double base = 0.0, exponent = 0.0;
    if (parse_plain_number(std::string_view(s).substr(0, caret), base) &&
        parse_plain_number(std::string_view(s).substr(caret + 1), exponent))
      return std::pow(base, exponent);
  }
  throw InputError(file, where, "expected a number, not '" + s + "'");
}

std::vector<double> expand_axis_values(const YAML::Node& node, const AxisField& field, const std::string& file,
                                       const std::string& where) {
  std::vector<double> out;
  if (!node || node.IsNull()) throw InputError(file, where, "an axis needs at least one value");
  if (node.IsScalar()) return {scalar_value(node, field, file, where)};
  if (node.IsSequence()) {
    if (node.size() == 0) throw InputError(file, where, "an axis needs at least one value");
    for (std::size_t i = 0; i < node.size(); ++i)
      out.push_back(scalar_value(node[i], field, file, where + "[" + std::to_string(i) + "]"));
    return out;
  }
  if (node.size() != 1)
    throw InputError(file, where,
                     "expected a value, a list, or one of {linspace, logspace, range, powers_of_two, values}");
  const std::string kind = node.begin()->first.as<std::string>();
  const YAML::Node args = node.begin()->second;
  const std::string at = where + "." + kind;
  if (kind == "values") return expand_axis_values(args, field, file, at);
  if (field.kind == AxisValueKind::Name)
    throw InputError(file, at, field.column + " takes names; write them as a list");
  if (kind == "linspace" || kind == "logspace") {
    check_generator_keys(args, {"start", "stop", "num"}, file, at);
    const double start = generator_arg(args, "start", 0, file, at);
    const double stop = generator_arg(args, "stop", 1, file, at);
    const std::uint64_t num = checked_count(generator_arg(args, "num", 2, file, at), file, at + ".num");
    if (kind == "logspace" && !(start > 0.0 && stop > 0.0))
      throw InputError(file, at, "logspace needs start > 0 and stop > 0 (it spaces values geometrically)");
    for (std::uint64_t i = 0; i < num; ++i) {
      const double t = num == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(num - 1);
      double v = kind == "linspace" ? start + (stop - start) * t
                                    : std::exp(std::log(start) + (std::log(stop) - std::log(start)) * t);
      if (i == 0) v = start;  // both ends exact, not a rounding of exp(log(x))
      if (i + 1 == num && num > 1) v = stop;
      out.push_back(checked_value(v, field, true, file, at));
    }
    return out;
  }
  if (kind == "range") {
    check_generator_keys(args, {"start", "stop", "step"}, file, at);
    const double one = 1.0;
    const double start = generator_arg(args, "start", 0, file, at);
    const double stop = generator_arg(args, "stop", 1, file, at);
    const double step = generator_arg(args, "step", 2, file, at, &one);
    if (!(step > 0.0)) throw InputError(file, at + ".step", "must be > 0");
    if (stop < start) throw InputError(file, at, "stop must be >= start");
    const double count = std::floor((stop - start) / step + 1e-9) + 1.0;
    checked_count(count, file, at);
    for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(count); ++i)
      out.push_back(checked_value(start + step * static_cast<double>(i), field, false, file, at));
    return out;
  }
  if (kind == "powers_of_two") {
    check_generator_keys(args, {"min", "max"}, file, at);
    const double lo = generator_arg(args, "min", 0, file, at);
    const double hi = generator_arg(args, "max", 1, file, at);
    if (!(lo > 0.0)) throw InputError(file, at + ".min", "must be > 0");
    if (lo > hi) throw InputError(file, at, "min must be <= max");
    for (int e = -64; e <= 62; ++e) {
      const double v = std::ldexp(1.0, e);
      if (v >= lo && v <= hi) out.push_back(checked_value(v, field, false, file, at));
    }
    if (out.empty()) throw InputError(file, at, "no power of two lies between min and max");
    return out;
  }
  throw InputError(file, at, "unknown axis generator (known: linspace, logspace, range, powers_of_two, values)");
}

SampledAxis parse_sampled_axis(const YAML::Node& node, const AxisField& field, const std::string& spelled,
                               const std::string& file, const std::string& where) {
  SampledAxis a;
  a.field = field;
  a.spelled = spelled;
  if (node.IsMap() && (node["min"] || node["max"])) {
    check_generator_keys(node, {"min", "max", "log"}, file, where);
    if (field.kind == AxisValueKind::Name)
      throw InputError(file, where, field.column + " takes names; sample them from a list");
    a.min = generator_arg(node, "min", 0, file, where);
    a.max = generator_arg(node, "max", 1, file, where);
    if (!(a.min <= a.max)) throw InputError(file, where, "min must be <= max");
    const bool log = node["log"] && node["log"].as<bool>();
    if (log && !(a.min > 0.0)) throw InputError(file, where, "log sampling needs min > 0");
    if (field.kind == AxisValueKind::Integer) {
      a.min = std::ceil(a.min);
      a.max = std::floor(a.max);
      if (a.min > a.max) throw InputError(file, where, "no integer lies between min and max");
    }
    a.kind = log ? SampledAxis::Kind::LogUniform : SampledAxis::Kind::Uniform;
    return a;
  }
  a.kind = SampledAxis::Kind::Choice;
  a.choices = expand_axis_values(node, field, file, where);
  return a;
}

std::vector<double> sample_design(const std::vector<SampledAxis>& axes, std::uint64_t n, std::uint64_t seed,
                                  bool latin_hypercube) {
  const std::size_t k = axes.size();
  std::vector<double> rows(n * k);
  SplitMix64 rng{seed};
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<std::uint64_t> strata;
    if (latin_hypercube) {  // one sample per stratum [i/n, (i+1)/n), strata shuffled per axis
      strata.resize(n);
      for (std::uint64_t i = 0; i < n; ++i) strata[i] = i;
      for (std::uint64_t i = n; i > 1; --i) std::swap(strata[i - 1], strata[rng.below(i)]);
    }
    const SampledAxis& a = axes[j];
    const bool integer = a.field.kind == AxisValueKind::Integer;
    for (std::uint64_t i = 0; i < n; ++i) {
      double u = rng.unit();
      if (latin_hypercube) u = (static_cast<double>(strata[i]) + u) / static_cast<double>(n);
      double v = 0.0;
      switch (a.kind) {
        case SampledAxis::Kind::Choice: {
          std::uint64_t c = static_cast<std::uint64_t>(u * static_cast<double>(a.choices.size()));
          if (c >= a.choices.size()) c = a.choices.size() - 1;
          v = a.choices[c];
          break;
        }
        case SampledAxis::Kind::Uniform:
          if (integer) {
            v = std::floor(a.min + u * (a.max - a.min + 1.0));
            if (v > a.max) v = a.max;
          } else {
            v = a.min + u * (a.max - a.min);
          }
          break;
        case SampledAxis::Kind::LogUniform:
          if (integer) {  // log-uniform over [min, max + 1), floored
            v = std::floor(std::exp(std::log(a.min) + u * (std::log(a.max + 1.0) - std::log(a.min))));
            if (v > a.max) v = a.max;
            if (v < a.min) v = a.min;
          } else {
            v = std::exp(std::log(a.min) + u * (std::log(a.max) - std::log(a.min)));
          }
          break;
      }
      rows[i * k + j] = v;
    }
  }
  return rows;
}

}  // namespace astra
