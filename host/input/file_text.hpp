// Reads a whole input file into memory, or throws InputError naming the file and why it failed.
#pragma once

#include <string>

namespace astra {

std::string read_input_file(const std::string& path);

}  // namespace astra
