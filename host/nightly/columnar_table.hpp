// A `.npy.d` output (sweep/columnar_output.hpp) read back as a ResultTable for `diff` and
// `report`: every cell as the CSV writer would have written it ("" for a missing value).
#pragma once

#include <string>

#include "host/nightly/result_table.hpp"

namespace astra {

// Throws InputError for a folder that is not a complete .npy.d output.
ResultTable read_columnar_table(const std::string& path);

}  // namespace astra
