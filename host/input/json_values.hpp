// Typed reads of single JSON values for the input readers: each checks the value's type and
// range and throws InputError naming the file and the key instead of nlohmann's type_error.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace astra {

// An integer in [min, max]; an integral float such as 4.0 is accepted.
std::int64_t json_integer(const nlohmann::json& v, const std::string& file, const std::string& key,
                          std::int64_t min, std::int64_t max);

// A finite number >= min.
double json_number(const nlohmann::json& v, const std::string& file, const std::string& key, double min);

// A string.
std::string json_string(const nlohmann::json& v, const std::string& file, const std::string& key);

// A 0/1 switch, written as 0, 1, false or true.
bool json_switch(const nlohmann::json& v, const std::string& file, const std::string& key);

// The text of a value for a message: short, one line, printable.
std::string json_value_text(const nlohmann::json& v);

}  // namespace astra
