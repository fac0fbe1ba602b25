// The protobuf wire format, just what Chakra's traces use: varints, 64/32-bit fixed values and
// length-delimited fields, read from a byte range with every length checked, and written into a
// std::string. A malformed byte throws WireError with its offset; nothing reads past the range.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace astra::chakra {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

class WireError : public std::runtime_error {
 public:
  WireError(std::size_t offset, const std::string& what) : std::runtime_error(what), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

// Reads fields from [begin, end); `base` is the offset of `begin` in the file, for messages.
class WireReader {
 public:
  WireReader(const std::uint8_t* begin, const std::uint8_t* end, std::size_t base) : p_(begin), begin_(begin), end_(end), base_(base) {}
  explicit WireReader(std::string_view bytes, std::size_t base = 0)
      : WireReader(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                   reinterpret_cast<const std::uint8_t*>(bytes.data()) + bytes.size(), base) {}

  bool done() const { return p_ == end_; }
  std::size_t offset() const { return base_ + static_cast<std::size_t>(p_ - begin_); }

  // The next field's number and wire type; groups and undefined wire types are corrupt.
  void tag(std::uint32_t& field, WireType& type) {
    const std::size_t at = offset();
    const std::uint64_t key = varint();
    const std::uint64_t wt = key & 7;
    if (wt != 0 && wt != 1 && wt != 2 && wt != 5)
      throw WireError(at, "invalid protobuf wire type " + std::to_string(wt) + " (corrupt data)");
    if ((key >> 3) == 0 || (key >> 3) > 0x1fffffff) throw WireError(at, "invalid protobuf field number 0 (corrupt data)");
    field = static_cast<std::uint32_t>(key >> 3);
    type = static_cast<WireType>(wt);
  }

  std::uint64_t varint() {
    const std::size_t at = offset();
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) throw WireError(at, "truncated varint");
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw WireError(at, "varint longer than 10 bytes (corrupt data)");
  }

  std::uint64_t fixed64() { return fixed(8); }
  std::uint32_t fixed32() { return static_cast<std::uint32_t>(fixed(4)); }

  std::string_view bytes() {
    const std::size_t at = offset();
    const std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_))
      throw WireError(at, "length-delimited field of " + std::to_string(n) + " bytes runs past the end of its message (" +
                              std::to_string(end_ - p_) + " bytes left)");
    std::string_view out(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
    p_ += n;
    return out;
  }

  // A sub-reader over the next length-delimited field, with file offsets kept.
  WireReader sub() {
    const std::string_view b = bytes();
    const auto* start = reinterpret_cast<const std::uint8_t*>(b.data());
    return WireReader(start, start + b.size(), base_ + static_cast<std::size_t>(start - begin_));
  }

  void skip(WireType t) {
    switch (t) {
      case WireType::Varint: varint(); break;
      case WireType::Fixed64: fixed(8); break;
      case WireType::Fixed32: fixed(4); break;
      case WireType::Bytes: bytes(); break;
    }
  }

 private:
  std::uint64_t fixed(int n) {
    if (end_ - p_ < n) throw WireError(offset(), "truncated fixed-size field");
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    p_ += n;
    return v;
  }

  const std::uint8_t* p_;
  const std::uint8_t* begin_;
  const std::uint8_t* end_;
  std::size_t base_;
};

// ---- writing (proto3 as Python's protobuf serializes it: fields in number order)
inline void put_varint(std::string& out, std::uint64_t v) {
  while (v > 0x7f) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
inline void put_tag(std::string& out, std::uint32_t field, WireType t) {
  put_varint(out, (static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(t));
}
inline void put_varint_field(std::string& out, std::uint32_t field, std::uint64_t v) {
  put_tag(out, field, WireType::Varint);
  put_varint(out, v);
}
inline void put_bytes_field(std::string& out, std::uint32_t field, std::string_view bytes) {
  put_tag(out, field, WireType::Bytes);
  put_varint(out, bytes.size());
  out.append(bytes.data(), bytes.size());
}

// Zig-zag decoding of sint32/sint64.
inline std::int64_t zigzag_decode(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

}  // namespace astra::chakra
