#include "host/input/json_values.hpp"

#include <cmath>
#include <limits>

#include "host/input/input_error.hpp"
#include "host/input/quoted_text.hpp"

namespace astra {

std::string json_value_text(const nlohmann::json& v) {
  if (v.is_string()) return quoted_text(v.get_ref<const std::string&>());
  if (v.is_number() || v.is_boolean() || v.is_null()) return v.dump();
  return std::string("a ") + v.type_name();
}

std::int64_t json_integer(const nlohmann::json& v, const std::string& file, const std::string& key,
                          std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    value = v.get<std::int64_t>();
  } else if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max)) {
      throw InputError(file, key, "must be at most " + std::to_string(max) + ", got " + std::to_string(u));
    }
    value = static_cast<std::int64_t>(u);
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d)) {
      throw InputError(file, key, "must be an integer, got " + json_value_text(v));
    }
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
      throw InputError(file, key,
                       "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                           json_value_text(v));
    }
    value = static_cast<std::int64_t>(d);
  } else {
    throw InputError(file, key, "must be an integer, got " + json_value_text(v));
  }
  if (value < min) throw InputError(file, key, "must be at least " + std::to_string(min) + ", got " + std::to_string(value));
  if (value > max) throw InputError(file, key, "must be at most " + std::to_string(max) + ", got " + std::to_string(value));
  return value;
}

double json_number(const nlohmann::json& v, const std::string& file, const std::string& key, double min) {
  if (!v.is_number()) throw InputError(file, key, "must be a number, got " + json_value_text(v));
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw InputError(file, key, "must be a finite number, got " + json_value_text(v));
  if (d < min) {
    throw InputError(file, key, "must not be less than " + nlohmann::json(min).dump() + ", got " + json_value_text(v));
  }
  return d;
}

std::string json_string(const nlohmann::json& v, const std::string& file, const std::string& key) {
  if (!v.is_string()) throw InputError(file, key, "must be a string, got " + json_value_text(v));
  return v.get<std::string>();
}

bool json_switch(const nlohmann::json& v, const std::string& file, const std::string& key) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) {
    const double d = v.get<double>();
    if (d == 0.0) return false;
    if (d == 1.0) return true;
  }
  throw InputError(file, key, "must be 0 or 1, got " + json_value_text(v));
}

}  // namespace astra
