// A compiled `where` constraint: a tiny stack-machine bytecode over the point's axis values,
// evaluated per point on the host and on the device alike (no heap, bounded stack).
//
//   "npus * 2 <= 64"   ->   PushAxis 0, PushConst 2, Mul, PushConst 64, Le
//
// Booleans are 1.0 / 0.0. A point passes when the program leaves a non-zero value; a NaN
// (e.g. 0/0) fails every comparison, so such a point is filtered out.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/model/host_device.hpp"

namespace astra {

inline constexpr int kMaxConstraintStack = 32;
inline constexpr int kMaxConstraintInstructions = 1024;

enum class ConstraintOp : std::uint8_t {
  PushConst = 0,
  PushAxis,  // operand: axis index
  Add, Sub, Mul, Div, Mod,
  Neg, Not,
  Lt, Le, Gt, Ge, Eq, Ne,
  And, Or,
  Min, Max, Pow,
  Abs, Log2, Floor, Ceil,
};

struct ConstraintInstruction {
  ConstraintOp op = ConstraintOp::PushConst;
  std::int32_t axis = 0;
  double constant = 0.0;
};

// True when the program (an empty one included) accepts the point.
[[nodiscard]] ASTRA_HD_INLINE bool constraint_accepts(const ConstraintInstruction* program, int length, const double* axis_values) {
  if (length <= 0) return true;
  double stack[kMaxConstraintStack];
  int top = 0;  // number of values on the stack; the compiler guarantees it stays in range
  for (int i = 0; i < length; ++i) {
    const ConstraintInstruction& in = program[i];
    switch (in.op) {
      case ConstraintOp::PushConst: stack[top++] = in.constant; continue;
      case ConstraintOp::PushAxis: stack[top++] = axis_values[in.axis]; continue;
      case ConstraintOp::Neg: stack[top - 1] = -stack[top - 1]; continue;
      case ConstraintOp::Not: stack[top - 1] = stack[top - 1] == 0.0 ? 1.0 : 0.0; continue;
      case ConstraintOp::Abs: stack[top - 1] = std::fabs(stack[top - 1]); continue;
      case ConstraintOp::Log2: stack[top - 1] = std::log2(stack[top - 1]); continue;
      case ConstraintOp::Floor: stack[top - 1] = std::floor(stack[top - 1]); continue;
      case ConstraintOp::Ceil: stack[top - 1] = std::ceil(stack[top - 1]); continue;
      default: break;
    }
    const double b = stack[--top];
    const double a = stack[top - 1];
    double r = 0.0;
    switch (in.op) {
      case ConstraintOp::Add: r = a + b; break;
      case ConstraintOp::Sub: r = a - b; break;
      case ConstraintOp::Mul: r = a * b; break;
      case ConstraintOp::Div: r = a / b; break;
      case ConstraintOp::Mod: r = std::fmod(a, b); break;
      case ConstraintOp::Lt: r = a < b ? 1.0 : 0.0; break;
      case ConstraintOp::Le: r = a <= b ? 1.0 : 0.0; break;
      case ConstraintOp::Gt: r = a > b ? 1.0 : 0.0; break;
      case ConstraintOp::Ge: r = a >= b ? 1.0 : 0.0; break;
      case ConstraintOp::Eq: r = a == b ? 1.0 : 0.0; break;
      case ConstraintOp::Ne: r = a != b ? 1.0 : 0.0; break;
      case ConstraintOp::And: r = (a != 0.0 && b != 0.0) ? 1.0 : 0.0; break;
      case ConstraintOp::Or: r = (a != 0.0 || b != 0.0) ? 1.0 : 0.0; break;
      case ConstraintOp::Min: r = a < b ? a : b; break;
      case ConstraintOp::Max: r = a > b ? a : b; break;
      case ConstraintOp::Pow: r = std::pow(a, b); break;
      default: break;
    }
    stack[top - 1] = r;
  }
  const double result = stack[0];
  return result != 0.0 && result == result;
}

}  // namespace astra
