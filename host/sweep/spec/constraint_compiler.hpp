// Compiles a `where` expression to the bytecode of kernels/sweep/constraint_program.hpp.
//
// Grammar (a small recursive-descent parser; precedence from loosest to tightest):
//   expr   := and  (("or" | "||") and)*
//   and    := not  (("and" | "&&") not)*
//   not    := ("not" | "!") not | cmp
//   cmp    := sum  (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//   sum    := prod (("+" | "-") prod)*
//   prod   := unary (("*" | "/" | "%") unary)*
//   unary  := "-" unary | power
//   power  := atom (("^" | "**") unary)?
//   atom   := number | 'string' | "string" | axis name | func "(" expr ("," expr)* ")" | "(" expr ")"
//   func   := min | max | abs | log2 | floor | ceil | pow
// Axis names are the spec's keys or the output column names (`npus`, `latency_ns[0]`,
// `preferred-dataset-splits`); the longest known name wins, so `a-b` needs spaces when `a-b`
// is not itself a name. A string may only be compared with a name-valued axis:
// `topology[0] == "Ring"`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/sweep/spec/axis_field.hpp"
#include "kernels/sweep/constraint_program.hpp"

namespace astra {

struct ConstraintName {
  std::string name;
  int axis = 0;
  AxisField field;
};

// Throws InputError(file, where, "column N: what was expected") on a syntax error.
std::vector<ConstraintInstruction> compile_constraint(std::string_view source, const std::vector<ConstraintName>& names,
                                                      const std::string& file, const std::string& where);

}  // namespace astra
