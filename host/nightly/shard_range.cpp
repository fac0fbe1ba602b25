#include "host/nightly/shard_range.hpp"

#include <charconv>

#include "host/input/input_error.hpp"

namespace astra {
namespace {

bool parse_u64(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

ShardRange parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  ShardRange s;
  if (slash == std::string::npos || !parse_u64(std::string_view(text).substr(0, slash), s.index) ||
      !parse_u64(std::string_view(text).substr(slash + 1), s.count))
    throw InputError("--shard", text, "expected K/N (shard K of N, K counted from 0)");
  if (s.count == 0 || s.index >= s.count)
    throw InputError("--shard", text, "K must be at least 0 and less than N (shards are numbered 0 to N-1)");
  return s;
}

ShardRange shard_of(std::uint64_t index, std::uint64_t count, std::uint64_t points) {
  ShardRange s;
  s.index = index;
  s.count = count;
  const unsigned __int128 p = points;
  s.first = static_cast<std::uint64_t>(p * index / count);
  s.end = static_cast<std::uint64_t>(p * (index + 1) / count);
  return s;
}

}  // namespace astra
