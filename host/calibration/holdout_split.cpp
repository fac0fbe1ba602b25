#include "host/calibration/holdout_split.hpp"

#include <cmath>

#include "host/calibration/strict_numbers.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

HoldoutSpec parse_holdout(std::string_view text) {
  HoldoutSpec spec;
  if (text == "none" || text.empty()) return spec;
  if (text == "every-2nd") {
    spec.kind = HoldoutSpec::Kind::EverySecond;
    return spec;
  }
  if (text.starts_with("random:")) {
    std::string_view rest = text.substr(7);
    const std::size_t colon = rest.find(':');
    const auto fraction = parse_whole_double(rest.substr(0, colon));
    if (!fraction || *fraction < 0.0 || *fraction >= 1.0)
      throw InputError("--holdout", std::string(text), "the fraction must be a number in [0, 1)");
    spec.kind = HoldoutSpec::Kind::Random;
    spec.fraction = *fraction;
    if (colon != std::string_view::npos) {
      const auto seed = parse_whole_uint64(rest.substr(colon + 1));
      if (!seed) throw InputError("--holdout", std::string(text), "the seed must be a non-negative integer");
      spec.seed = *seed;
    }
    return spec;
  }
  throw InputError("--holdout", std::string(text), "expected none, every-2nd or random:FRACTION[:SEED]");
}

std::string describe_holdout(const HoldoutSpec& spec) {
  switch (spec.kind) {
    case HoldoutSpec::Kind::None: return "none";
    case HoldoutSpec::Kind::EverySecond: return "every-2nd";
    case HoldoutSpec::Kind::Random: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "random:%g:%llu", spec.fraction, static_cast<unsigned long long>(spec.seed));
      return buf;
    }
  }
  return "?";
}

std::vector<bool> holdout_mask(const HoldoutSpec& spec, std::size_t count) {
  std::vector<bool> mask(count, false);
  if (count < 2) return mask;
  switch (spec.kind) {
    case HoldoutSpec::Kind::None: break;
    case HoldoutSpec::Kind::EverySecond:
      for (std::size_t i = 1; i < count; i += 2) mask[i] = true;
      break;
    case HoldoutSpec::Kind::Random: {
      std::size_t held = static_cast<std::size_t>(std::llround(spec.fraction * static_cast<double>(count)));
      if (held > count - 1) held = count - 1;
      std::vector<std::size_t> order(count);
      for (std::size_t i = 0; i < count; ++i) order[i] = i;
      std::uint64_t state = spec.seed;
      for (std::size_t i = count - 1; i > 0; --i) {
        const std::size_t j = static_cast<std::size_t>(splitmix64(state) % (i + 1));
        std::swap(order[i], order[j]);
      }
      for (std::size_t k = 0; k < held; ++k) mask[order[k]] = true;
      break;
    }
  }
  return mask;
}

}  // namespace astra::calibration
