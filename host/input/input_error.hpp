// The one error type for bad input: it names the file, the field and the reason, and the CLI
// turns it into a one-line message and exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace astra {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string field, std::string reason)
      : std::runtime_error(format(file, field, reason)),
        file_(std::move(file)), field_(std::move(field)), reason_(std::move(reason)) {}

  const std::string& file() const noexcept { return file_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  static std::string format(const std::string& file, const std::string& field, const std::string& reason) {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (!field.empty()) out += ": " + field;
    return out + ": " + reason;
  }
  std::string file_, field_, reason_;
};

}  // namespace astra
