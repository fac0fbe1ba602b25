// `--shard K/N`: shard K (counted from 0) of N takes the contiguous block of point indices
// [floor(K * P / N), floor((K + 1) * P / N)) of a design of P points. Blocks are disjoint, cover
// every point, differ in size by at most one point, and shard K's rows come before shard K+1's,
// so concatenating the shards' outputs in shard order gives the unsharded output row for row.
// MPI ranks split the points the same way (rank r of R = shard r/R).
#pragma once

#include <cstdint>
#include <string>

namespace astra {

struct ShardRange {
  std::uint64_t index = 0, count = 1;  // K and N
  std::uint64_t first = 0, end = 0;    // the point indices [first, end)
};

// Parses "K/N" (0 <= K < N); throws InputError naming --shard otherwise.
ShardRange parse_shard(const std::string& text);
// Shard K of N over `points` points.
ShardRange shard_of(std::uint64_t index, std::uint64_t count, std::uint64_t points);

}  // namespace astra
