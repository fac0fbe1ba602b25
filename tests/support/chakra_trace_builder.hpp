// Hand-built Chakra trace files for tests, benchmarks and fuzz seeds: nodes with exactly the
// fields a case needs, framed as ASTRA-sim reads them (varint32 length, GlobalMetadata first).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/input/chakra/chakra_trace.hpp"
#include "host/input/chakra/protobuf_wire.hpp"

namespace astra::test {

struct BuiltAttr {
  std::string name;
  enum Kind { Int64, String, BoolList, Double } kind = Int64;
  std::int64_t i = 0;
  std::string s;
  std::vector<bool> bools;
};

struct BuiltNode {
  std::uint64_t id = 0;
  std::string name;
  std::uint32_t type = chakra::kCompNode;
  std::vector<std::uint64_t> data_deps, ctrl_deps;
  std::uint64_t duration_micros = 0;
  std::vector<BuiltAttr> attrs;
};

inline BuiltAttr int_attr(std::string name, std::int64_t v) { return {std::move(name), BuiltAttr::Int64, v, {}, {}}; }
inline BuiltAttr str_attr(std::string name, std::string v) { return {std::move(name), BuiltAttr::String, 0, std::move(v), {}}; }
inline BuiltAttr bools_attr(std::string name, std::vector<bool> v) { return {std::move(name), BuiltAttr::BoolList, 0, {}, std::move(v)}; }
inline BuiltAttr double_attr(std::string name) { return {std::move(name), BuiltAttr::Double, 0, {}, {}}; }

inline BuiltNode comp(std::uint64_t id, std::uint64_t us, std::vector<std::uint64_t> deps = {}) {
  BuiltNode n;
  n.id = id;
  n.name = "comp" + std::to_string(id);
  n.duration_micros = us;
  n.data_deps = std::move(deps);
  return n;
}
inline BuiltNode coll(std::uint64_t id, std::int64_t comm_type, std::int64_t bytes, std::vector<std::uint64_t> deps = {}) {
  BuiltNode n;
  n.id = id;
  n.name = "coll" + std::to_string(id);
  n.type = chakra::kCommCollNode;
  n.data_deps = std::move(deps);
  n.attrs = {int_attr("comm_type", comm_type), int_attr("comm_size", bytes)};
  return n;
}

inline std::string encode_node(const BuiltNode& n) {
  using namespace chakra;
  std::string m, packed;
  if (n.id) put_varint_field(m, 1, n.id);
  if (!n.name.empty()) put_bytes_field(m, 2, n.name);
  put_varint_field(m, 3, n.type);
  for (const auto* deps : {&n.ctrl_deps, &n.data_deps}) {
    if (deps->empty()) continue;
    packed.clear();
    for (auto d : *deps) put_varint(packed, d);
    put_bytes_field(m, deps == &n.ctrl_deps ? 4 : 5, packed);
  }
  if (n.duration_micros) put_varint_field(m, 7, n.duration_micros);
  for (const auto& a : n.attrs) {
    std::string am;
    put_bytes_field(am, 1, a.name);
    switch (a.kind) {
      case BuiltAttr::Int64: put_varint_field(am, 9, static_cast<std::uint64_t>(a.i)); break;
      case BuiltAttr::String: put_bytes_field(am, 29, a.s); break;
      case BuiltAttr::Double:
        put_tag(am, 3, WireType::Fixed64);
        am.append(8, '\0');
        break;
      case BuiltAttr::BoolList: {
        std::string list, values;
        for (bool b : a.bools) put_varint(values, b ? 1 : 0);
        put_bytes_field(list, 1, values);
        put_bytes_field(am, 28, list);
        break;
      }
    }
    put_bytes_field(m, 10, am);
  }
  return m;
}

inline std::string encode_trace(const std::vector<BuiltNode>& nodes) {
  using namespace chakra;
  std::string out, meta, attr;
  put_bytes_field(attr, 1, "schema");
  put_bytes_field(attr, 29, "1.0.2-chakra.0.0.4");
  put_bytes_field(meta, 2, attr);
  put_varint(out, meta.size());
  out += meta;
  for (const auto& n : nodes) {
    const std::string m = encode_node(n);
    put_varint(out, m.size());
    out += m;
  }
  return out;
}

}  // namespace astra::test
