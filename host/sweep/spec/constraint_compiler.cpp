#include "host/sweep/spec/constraint_compiler.hpp"

#include <cctype>
#include <charconv>
#include <memory>
#include <optional>

#include "host/input/input_error.hpp"

namespace astra {
namespace {

struct Expr {
  enum class Kind { Number, String, Axis, Unary, Binary, Call } kind = Kind::Number;
  ConstraintOp op = ConstraintOp::PushConst;
  double number = 0.0;
  std::string text;
  int axis = -1;
  std::size_t column = 0;
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

class Parser {
 public:
  Parser(std::string_view src, const std::vector<ConstraintName>& names, const std::string& file,
         const std::string& where)
      : src_(src), names_(names), file_(file), where_(where) {}

  ExprPtr parse() {
    ExprPtr e = parse_or();
    skip_space();
    if (pos_ < src_.size()) fail("unexpected '" + std::string(src_.substr(pos_, 12)) + "'");
    return e;
  }

  [[noreturn]] void fail(const std::string& what, std::optional<std::size_t> at = std::nullopt) const {
    throw InputError(file_, where_,
                     "column " + std::to_string(at.value_or(pos_) + 1) + ": " + what + " in \"" + std::string(src_) + "\"");
  }

 private:
  void skip_space() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  }
  bool eat(std::string_view token) {
    skip_space();
    if (src_.substr(pos_, token.size()) != token) return false;
    // words must not run into a longer identifier
    if (std::isalpha(static_cast<unsigned char>(token[0])) && pos_ + token.size() < src_.size()) {
      const char next = src_[pos_ + token.size()];
      if (std::isalnum(static_cast<unsigned char>(next)) || next == '_') return false;
    }
    pos_ += token.size();
    return true;
  }
  ExprPtr binary(ConstraintOp op, ExprPtr a, ExprPtr b, std::size_t column) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Binary;
    e->op = op;
    e->column = column;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }
  ExprPtr unary_node(ConstraintOp op, ExprPtr a) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Unary;
    e->op = op;
    e->args.push_back(std::move(a));
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr e = parse_and();
    for (;;) {
      const std::size_t at = pos_;
      if (eat("||") || eat("or")) e = binary(ConstraintOp::Or, std::move(e), parse_and(), at);
      else return e;
    }
  }
  ExprPtr parse_and() {
    ExprPtr e = parse_not();
    for (;;) {
      const std::size_t at = pos_;
      if (eat("&&") || eat("and")) e = binary(ConstraintOp::And, std::move(e), parse_not(), at);
      else return e;
    }
  }
  ExprPtr parse_not() {
    skip_space();
    if (src_.substr(pos_, 2) != "!=" && (eat("!") || eat("not"))) return unary_node(ConstraintOp::Not, parse_not());
    return parse_cmp();
  }
  ExprPtr parse_cmp() {
    ExprPtr e = parse_sum();
    skip_space();
    const std::size_t at = pos_;
    static constexpr std::pair<std::string_view, ConstraintOp> ops[] = {
        {"<=", ConstraintOp::Le}, {">=", ConstraintOp::Ge}, {"==", ConstraintOp::Eq}, {"!=", ConstraintOp::Ne},
        {"<", ConstraintOp::Lt},  {">", ConstraintOp::Gt}};
    for (const auto& [tok, op] : ops) {
      if (eat(tok)) {
        ExprPtr rhs = parse_sum();
        skip_space();
        if (pos_ < src_.size() && (src_[pos_] == '<' || src_[pos_] == '>' || src_.substr(pos_, 2) == "==" ||
                                   src_.substr(pos_, 2) == "!="))
          fail("comparisons do not chain; write a < b and b < c");
        return binary(op, std::move(e), std::move(rhs), at);
      }
    }
    return e;
  }
  ExprPtr parse_sum() {
    ExprPtr e = parse_prod();
    for (;;) {
      const std::size_t at = pos_;
      if (eat("+")) e = binary(ConstraintOp::Add, std::move(e), parse_prod(), at);
      else if (eat("-")) e = binary(ConstraintOp::Sub, std::move(e), parse_prod(), at);
      else return e;
    }
  }
  ExprPtr parse_prod() {
    ExprPtr e = parse_unary();
    for (;;) {
      const std::size_t at = pos_;
      skip_space();
      if (src_.substr(pos_, 2) == "**") return e;  // handled in parse_power
      if (eat("*")) e = binary(ConstraintOp::Mul, std::move(e), parse_unary(), at);
      else if (eat("/")) e = binary(ConstraintOp::Div, std::move(e), parse_unary(), at);
      else if (eat("%")) e = binary(ConstraintOp::Mod, std::move(e), parse_unary(), at);
      else return e;
    }
  }
  ExprPtr parse_unary() {
    if (eat("-")) return unary_node(ConstraintOp::Neg, parse_unary());
    if (eat("+")) return parse_unary();
    return parse_power();
  }
  ExprPtr parse_power() {
    ExprPtr e = parse_atom();
    const std::size_t at = pos_;
    if (eat("**") || eat("^")) return binary(ConstraintOp::Pow, std::move(e), parse_unary(), at);
    return e;
  }

  ExprPtr parse_atom() {
    skip_space();
    const std::size_t start = pos_;
    if (pos_ >= src_.size()) fail("expected a value, found the end of the expression");
    const char c = src_[pos_];
    auto e = std::make_unique<Expr>();
    e->column = start;
    if (c == '(') {
      ++pos_;
      ExprPtr inner = parse_or();
      if (!eat(")")) fail("expected ')'");
      return inner;
    }
    if (c == '"' || c == '\'') {
      const std::size_t close = src_.find(c, pos_ + 1);
      if (close == std::string_view::npos) fail("unterminated string");
      e->kind = Expr::Kind::String;
      e->text = std::string(src_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(src_.data() + pos_, src_.data() + src_.size(), v);
      if (ec != std::errc()) fail("bad number");
      pos_ = static_cast<std::size_t>(ptr - src_.data());
      e->kind = Expr::Kind::Number;
      e->number = v;
      return e;
    }
    // The longest axis name that starts here.
    const ConstraintName* best = nullptr;
    for (const ConstraintName& n : names_) {
      if (src_.substr(pos_, n.name.size()) != n.name) continue;
      const std::size_t end = pos_ + n.name.size();
      if (end < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[end])) || src_[end] == '_')) continue;
      if (!best || n.name.size() > best->name.size()) best = &n;
    }
    if (best) {
      pos_ += best->name.size();
      e->kind = Expr::Kind::Axis;
      e->axis = best->axis;
      e->text = best->name;
      return e;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = pos_;
      while (end < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[end])) || src_[end] == '_')) ++end;
      const std::string word(src_.substr(pos_, end - pos_));
      static constexpr std::pair<std::string_view, ConstraintOp> funcs[] = {
          {"min", ConstraintOp::Min},   {"max", ConstraintOp::Max},     {"pow", ConstraintOp::Pow},
          {"abs", ConstraintOp::Abs},   {"log2", ConstraintOp::Log2},   {"floor", ConstraintOp::Floor},
          {"ceil", ConstraintOp::Ceil}};
      for (const auto& [name, op] : funcs) {
        if (word != name) continue;
        pos_ = end;
        if (!eat("(")) fail("expected '(' after " + word);
        e->kind = Expr::Kind::Call;
        e->op = op;
        e->text = word;
        e->args.push_back(parse_or());
        while (eat(",")) e->args.push_back(parse_or());
        if (!eat(")")) fail("expected ')' to close " + word + "(");
        const std::size_t want = (op == ConstraintOp::Min || op == ConstraintOp::Max || op == ConstraintOp::Pow) ? 2 : 1;
        if (e->args.size() != want)
          fail(word + "() takes " + std::to_string(want) + " argument(s)", start);
        return e;
      }
      std::string known;
      for (const ConstraintName& n : names_) known += (known.empty() ? "" : ", ") + n.name;
      fail("unknown name '" + word + "' (axes: " + known + ")", start);
    }
    fail(std::string("unexpected '") + c + "'");
  }

  std::string_view src_;
  const std::vector<ConstraintName>& names_;
  const std::string& file_;
  const std::string& where_;
  std::size_t pos_ = 0;
};

class Emitter {
 public:
  Emitter(const Parser& p, const std::vector<ConstraintName>& names, const std::string& file, const std::string& where)
      : parser_(p), names_(names), file_(file), where_(where) {}

  void emit(const Expr& e) {
    using K = Expr::Kind;
    switch (e.kind) {
      case K::Number: push({ConstraintOp::PushConst, 0, e.number}, +1); return;
      case K::String: parser_.fail("a string can only be compared with a name-valued axis", e.column);
      case K::Axis: push({ConstraintOp::PushAxis, e.axis, 0.0}, +1); return;
      case K::Unary: emit(*e.args[0]); push({e.op, 0, 0.0}, 0); return;
      case K::Call:
        for (const auto& a : e.args) emit(*a);
        push({e.op, 0, 0.0}, 1 - static_cast<int>(e.args.size()));
        return;
      case K::Binary: {
        const Expr& a = *e.args[0];
        const Expr& b = *e.args[1];
        const bool equality = e.op == ConstraintOp::Eq || e.op == ConstraintOp::Ne;
        if (equality && (a.kind == K::String) != (b.kind == K::String)) {
          const Expr& axis = a.kind == K::String ? b : a;
          const Expr& str = a.kind == K::String ? a : b;
          if (axis.kind != K::Axis) parser_.fail("a string can only be compared with a name-valued axis", str.column);
          const ConstraintName* name = nullptr;
          for (const auto& n : names_)
            if (n.axis == axis.axis) name = &n;
          if (name->field.kind != AxisValueKind::Name)
            parser_.fail(name->name + " is a number; compare it with a number", str.column);
          const double code = parse_axis_name_value(name->field, str.text, file_, where_);
          push({ConstraintOp::PushAxis, axis.axis, 0.0}, +1);
          push({ConstraintOp::PushConst, 0, code}, +1);
          push({e.op, 0, 0.0}, -1);
          return;
        }
        emit(a);
        emit(b);
        push({e.op, 0, 0.0}, -1);
        return;
      }
    }
  }

  std::vector<ConstraintInstruction> program;

 private:
  void push(ConstraintInstruction in, int stack_change) {
    program.push_back(in);
    depth_ += stack_change;
    if (depth_ > kMaxConstraintStack)
      throw InputError(file_, where_, "the expression nests too deeply (at most 32 pending values)");
    if (program.size() > static_cast<std::size_t>(kMaxConstraintInstructions))
      throw InputError(file_, where_, "the expression is too long");
  }
  const Parser& parser_;
  const std::vector<ConstraintName>& names_;
  const std::string& file_;
  const std::string& where_;
  int depth_ = 0;
};

}  // namespace

std::vector<ConstraintInstruction> compile_constraint(std::string_view source, const std::vector<ConstraintName>& names,
                                                      const std::string& file, const std::string& where) {
  Parser parser(source, names, file, where);
  const ExprPtr tree = parser.parse();
  Emitter emitter(parser, names, file, where);
  emitter.emit(*tree);
  return std::move(emitter.program);
}

}  // namespace astra
