// The model's units, named. Every quantity that crosses the model's boundary (configs in,
// timings out) is one of these, and the conversions between ASTRA-sim's units live here once.
//
//   time        TimeNs        integer nanoseconds, the unit of every ASTRA-sim timestamp
//               DurationNsF   a double of nanoseconds before ASTRA-sim truncates it
//   size        SizeBytes     integer bytes
//   bandwidth   BandwidthGBps a config's GB/s; ASTRA-sim converts the network's with 2^30 (so
//                             it is really GiB/s) and local-mem-bw with 1e9
//               BytesPerNs    what the delay formulas divide by
//
// Aliases, not wrapper types: the model's arithmetic is ASTRA-sim's double/uint64 arithmetic in
// ASTRA-sim's order (the answers are checked to the nanosecond), and a wrapper would have to
// reproduce every operation bit for bit. The names carry the unit; so do variable names (_ns,
// _bytes, _GBps).
#pragma once

#include <cstdint>

namespace astra {

using TimeNs = std::uint64_t;
using DurationNsF = double;
using SizeBytes = std::uint64_t;
using BandwidthGBps = double;
using BytesPerNs = double;

inline constexpr double kBytesPerGiB = 1073741824.0;   // 2^30: ASTRA-sim's "GB" of link bandwidth
inline constexpr double kBytesPerGB = 1000000000.0;    // 1e9: nccl-tests' GB, local-mem-bw's GB
inline constexpr double kNsPerSecond = 1000000000.0;
inline constexpr double kNsPerMs = 1000000.0;

}  // namespace astra
