// Seeded random numbers that are the same on every platform: mt19937_64 (its output is fixed
// by the C++ standard) with our own conversions, since std::uniform_*_distribution may differ
// between standard libraries.
#pragma once

#include <cstdint>
#include <random>

namespace astra::sensitivity {

class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace astra::sensitivity
