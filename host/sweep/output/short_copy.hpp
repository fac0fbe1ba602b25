// Copying the short constant pieces of text rows (JSON keys, cached axis cells, status names)
// without a call into memcpy per piece: pieces of at most kShortCopyBytes are copied as one
// fixed-size block (inlined moves), so both sides must have kShortCopyBytes readable/writable;
// keepers of such pieces store them padded (padded_pieces) and writers reserve that much room.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>

namespace astra {

inline constexpr std::size_t kShortCopyBytes = 32;

// Copies `n` bytes of `src` to `p` (and, when n <= kShortCopyBytes, up to kShortCopyBytes - n
// bytes after them, which the caller overwrites or ignores); returns p + n.
inline char* copy_short(char* p, const char* src, std::size_t n) {
  if (n <= kShortCopyBytes) std::memcpy(p, src, kShortCopyBytes);
  else std::memcpy(p, src, n);
  return p + n;
}

// `text` with kShortCopyBytes of padding after its end (so copy_short may read past its pieces).
inline void pad_for_short_copy(std::string& text) { text.append(kShortCopyBytes, '\0'); }

}  // namespace astra
