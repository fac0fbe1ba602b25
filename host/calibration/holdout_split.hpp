// Which measured sizes a calibration fits on and which it holds out to report honest error.
//   none           fit on every size, no held-out error
//   every-2nd      fit on even-indexed sizes (0, 2, 4, ...), hold out the odd-indexed ones
//                  (as the measured-data README's ASTRA-sim comparison does)
//   random:F[:S]   hold out round(F * n) sizes drawn with seed S (default 1) by a Fisher-Yates
//                  shuffle on splitmix64: the same split on every platform and run
// At least one size always stays in the fit set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace astra::calibration {

struct HoldoutSpec {
  enum class Kind { None, EverySecond, Random } kind = Kind::None;
  double fraction = 0.0;
  std::uint64_t seed = 1;
};

// Throws InputError(file="--holdout", ...) on an unknown form or a fraction outside [0, 1).
HoldoutSpec parse_holdout(std::string_view text);
std::string describe_holdout(const HoldoutSpec& spec);

// true = held out, one entry per size index.
std::vector<bool> holdout_mask(const HoldoutSpec& spec, std::size_t count);

}  // namespace astra::calibration
