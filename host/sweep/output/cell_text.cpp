#include "host/sweep/output/cell_text.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

namespace astra {

char* write_int_text(char* out, std::int64_t v) { return std::to_chars(out, out + 32, v).ptr; }
char* write_uint_text(char* out, std::uint64_t v) { return std::to_chars(out, out + 32, v).ptr; }

char* write_real_text(char* out, double v) {
  if (!std::isfinite(v)) return out;
  // Fast path: to_chars' own choice (the shorter of fixed and scientific) already is fmt's text
  // when it is fixed with at most 16 integer digits, or scientific with an exponent outside
  // -4..15; otherwise lay the digits out as fmt does (below).
  {
    char* const end = std::to_chars(out, out + 32, v).ptr;
    const char* e = static_cast<const char*>(std::memchr(out, 'e', static_cast<std::size_t>(end - out)));
    if (!e) {
      const char* digits = out + (*out == '-');
      const char* point = static_cast<const char*>(std::memchr(digits, '.', static_cast<std::size_t>(end - digits)));
      if ((point ? point : end) - digits <= 16) return end;
    } else {
      int exp = 0;
      std::from_chars(e + (e[1] == '+' ? 2 : 1), end, exp);
      if (exp < -4 || exp >= 16) return end;
    }
  }
  // Shortest round-trip digits in scientific form: [-]d[.ddd]e(+|-)XX[X].
  char sci[40];
  char* const end = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific).ptr;
  const char* p = sci;
  if (*p == '-') *out++ = *p++;
  const char* const e = static_cast<const char*>(std::memchr(p, 'e', static_cast<std::size_t>(end - p)));
  int exp = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), end, exp);
  if (exp < -4 || exp >= 16) {  // fmt's exponent notation is to_chars' scientific one
    const std::size_t n = static_cast<std::size_t>(end - p);
    std::memcpy(out, p, n);
    return out + n;
  }
  char digits[20];
  int n = 0;
  for (const char* d = p; d < e; ++d)
    if (*d != '.') digits[n++] = *d;
  if (exp < 0) {  // 0.000ddd
    *out++ = '0';
    *out++ = '.';
    for (int z = 0; z < -exp - 1; ++z) *out++ = '0';
    std::memcpy(out, digits, static_cast<std::size_t>(n));
    return out + n;
  }
  const int whole = exp + 1;  // digits before the point
  if (n <= whole) {
    std::memcpy(out, digits, static_cast<std::size_t>(n));
    out += n;
    for (int z = n; z < whole; ++z) *out++ = '0';
    return out;
  }
  std::memcpy(out, digits, static_cast<std::size_t>(whole));
  out += whole;
  *out++ = '.';
  std::memcpy(out, digits + whole, static_cast<std::size_t>(n - whole));
  return out + (n - whole);
}

char* write_cell_text(char* out, const Cell& cell) {
  switch (cell.type) {
    case CellType::Int: return write_int_text(out, cell.i);
    case CellType::UInt: return write_uint_text(out, cell.u);
    case CellType::Real: return write_real_text(out, cell.r);
    default: return out;
  }
}

void append_cell_text_fast(std::string& out, const Cell& cell) {
  char buf[48];
  char* end = buf;
  switch (cell.type) {
    case CellType::Null: return;
    case CellType::Int: end = write_int_text(buf, cell.i); break;
    case CellType::UInt: end = write_uint_text(buf, cell.u); break;
    case CellType::Real: end = write_real_text(buf, cell.r); break;
    case CellType::Text: out.append(cell.text); return;
  }
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_cell_text_fmt(std::string& out, const Cell& cell) {
  switch (cell.type) {
    case CellType::Null: break;
    case CellType::Int: fmt::format_to(std::back_inserter(out), "{}", cell.i); break;
    case CellType::UInt: fmt::format_to(std::back_inserter(out), "{}", cell.u); break;
    case CellType::Real:
      if (std::isfinite(cell.r)) fmt::format_to(std::back_inserter(out), "{}", cell.r);
      break;
    case CellType::Text: out.append(cell.text); break;
  }
}

}  // namespace astra
