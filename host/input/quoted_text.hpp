// Quotes a piece of input for an error message: 'text', with control and non-ASCII bytes shown
// as \xNN and long text cut, so that one bad byte cannot break the one-line message.
#pragma once

#include <string>
#include <string_view>

namespace astra {

inline std::string quoted_text(std::string_view s, std::size_t max_chars = 60) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "'";
  std::size_t shown = 0;
  for (char c : s) {
    if (shown++ == max_chars) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "'";
}

// The same escaping without the quotes, for messages from third-party parsers.
inline std::string printable(std::string_view s, std::size_t max_chars = 300) {
  std::string q = quoted_text(s, max_chars);
  return q.substr(1, q.size() - 2);
}

}  // namespace astra
