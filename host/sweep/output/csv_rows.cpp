#include "host/sweep/output/csv_rows.hpp"

#include <cstring>

namespace astra {

char* write_csv_field(char* p, std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
  }
  *p++ = '"';
  for (char c : text) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

}  // namespace astra
