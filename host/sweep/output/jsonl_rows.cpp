#include "host/sweep/output/jsonl_rows.hpp"

namespace astra {

char* write_json_string(char* p, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '"';
  for (char c : s) {
    switch (c) {
      case '"': *p++ = '\\'; *p++ = '"'; break;
      case '\\': *p++ = '\\'; *p++ = '\\'; break;
      case '\n': *p++ = '\\'; *p++ = 'n'; break;
      case '\r': *p++ = '\\'; *p++ = 'r'; break;
      case '\t': *p++ = '\\'; *p++ = 't'; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::memcpy(p, "\\u00", 4);
          p[4] = kHex[(c >> 4) & 0xf];
          p[5] = kHex[c & 0xf];
          p += 6;
        } else {
          *p++ = c;
        }
    }
  }
  *p++ = '"';
  return p;
}

JsonText::JsonText(const std::vector<Column>& columns) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::string key(6 * columns[c].name.size() + 4, '\0');
    char* p = key.data();
    if (c) *p++ = ',';
    p = write_json_string(p, columns[c].name);
    *p++ = ':';
    key.resize(static_cast<std::size_t>(p - key.data()));
    key_begin_.push_back(keys_.size());
    keys_ += key;
  }
  key_begin_.push_back(keys_.size());
  pad_for_short_copy(keys_);
}

}  // namespace astra
