// Reads one Chakra trace file with the hand-written wire decoder (protobuf_wire.hpp): the
// GlobalMetadata, then every Node with its dependencies and the attributes the workload layer uses.
#include <string>

#include "host/input/chakra/chakra_trace.hpp"
#include "host/input/chakra/protobuf_wire.hpp"
#include "host/input/file_text.hpp"
#include "host/input/input_error.hpp"
#include "host/input/quoted_text.hpp"

namespace astra::chakra {
namespace {

// Reads an AttributeProto value field into v (the oneof: the last value field wins).
void read_attr_value(WireReader& r, std::uint32_t field, WireType wt, AttrValue& v) {
  auto expect = [&](WireType want) {
    if (wt != want) throw WireError(r.offset(), "attribute value field " + std::to_string(field) + " has the wrong wire type");
  };
  auto integer = [&](const char* name, std::int64_t s) {
    v = AttrValue{};
    v.kind = AttrValue::Kind::Integer;
    v.type_name = name;
    v.negative = s < 0;
    v.magnitude = s < 0 ? 0 - static_cast<std::uint64_t>(s) : static_cast<std::uint64_t>(s);
  };
  auto unsigned_integer = [&](const char* name, std::uint64_t u) {
    v = AttrValue{};
    v.kind = AttrValue::Kind::Integer;
    v.type_name = name;
    v.magnitude = u;
  };
  auto floating = [&](const char* name) {
    v = AttrValue{};
    v.kind = AttrValue::Kind::Floating;
    v.type_name = name;
  };
  switch (field) {
    case 3: expect(WireType::Fixed64); r.fixed64(); floating("double_val"); return;
    case 5: expect(WireType::Fixed32); r.fixed32(); floating("float_val"); return;
    case 7: expect(WireType::Varint); integer("int32_val", static_cast<std::int32_t>(r.varint())); return;
    case 9: expect(WireType::Varint); integer("int64_val", static_cast<std::int64_t>(r.varint())); return;
    case 11: expect(WireType::Varint); unsigned_integer("uint32_val", static_cast<std::uint32_t>(r.varint())); return;
    case 13: expect(WireType::Varint); unsigned_integer("uint64_val", r.varint()); return;
    case 15: expect(WireType::Varint); integer("sint32_val", static_cast<std::int32_t>(zigzag_decode(r.varint()))); return;
    case 17: expect(WireType::Varint); integer("sint64_val", zigzag_decode(r.varint())); return;
    case 19: expect(WireType::Fixed32); unsigned_integer("fixed32_val", r.fixed32()); return;
    case 21: expect(WireType::Fixed64); unsigned_integer("fixed64_val", r.fixed64()); return;
    case 23: expect(WireType::Fixed32); integer("sfixed32_val", static_cast<std::int32_t>(r.fixed32())); return;
    case 25: expect(WireType::Fixed64); integer("sfixed64_val", static_cast<std::int64_t>(r.fixed64())); return;
    case 27: expect(WireType::Varint); unsigned_integer("bool_val", r.varint() != 0 ? 1 : 0); return;
    case 29:
    case 31:
      expect(WireType::Bytes);
      v = AttrValue{};
      v.kind = AttrValue::Kind::String;
      v.type_name = field == 29 ? "string_val" : "bytes_val";
      v.text = r.bytes();
      return;
    case 28: {  // BoolList { repeated bool values = 1; }, packed or not
      expect(WireType::Bytes);
      v = AttrValue{};
      v.kind = AttrValue::Kind::BoolList;
      v.type_name = "bool_list";
      WireReader list = r.sub();
      while (!list.done()) {
        std::uint32_t f;
        WireType t;
        list.tag(f, t);
        if (f != 1) {
          list.skip(t);
        } else if (t == WireType::Varint) {
          ++v.list_count;
          const bool value = list.varint() != 0;  // read it even once a false was seen
          v.list_all_true = v.list_all_true && value;
        } else if (t == WireType::Bytes) {
          WireReader packed = list.sub();
          while (!packed.done()) {
            ++v.list_count;
            const bool value = packed.varint() != 0;
            v.list_all_true = v.list_all_true && value;
          }
        } else {
          throw WireError(list.offset(), "bool_list value with the wrong wire type");
        }
      }
      return;
    }
    default:
      if (field >= 4 && field <= 32 && field % 2 == 0) {  // the other *_list members
        expect(WireType::Bytes);
        r.bytes();
        v = AttrValue{};
        v.kind = AttrValue::Kind::OtherList;
        v.type_name = "a list value";
        return;
      }
      r.skip(wt);  // name (1), doc_string (2) are handled by the caller; unknown fields are skipped
  }
}

// AttributeProto: name, then the value; stores it in the node's slot for that name if it is one
// the workload layer reads and the slot is still empty (the feeder takes the first match).
void read_node_attr(WireReader r, TraceNode& node) {
  std::string_view name;
  AttrValue value;
  while (!r.done()) {
    std::uint32_t f;
    WireType t;
    r.tag(f, t);
    if (f == 1) {
      if (t != WireType::Bytes) throw WireError(r.offset(), "attribute name with the wrong wire type");
      name = r.bytes();
    } else if (f == 2) {
      if (t != WireType::Bytes) throw WireError(r.offset(), "attribute doc_string with the wrong wire type");
      r.bytes();
    } else {
      read_attr_value(r, f, t, value);
    }
  }
  AttrValue* slot = nullptr;
  if (name == "comm_type") slot = &node.comm_type;
  else if (name == "comm_size") slot = &node.comm_size;
  else if (name == "is_cpu_op") slot = &node.is_cpu_op;
  else if (name == "comm_src") slot = &node.comm_src;
  else if (name == "comm_dst") slot = &node.comm_dst;
  else if (name == "comm_tag") slot = &node.comm_tag;
  else if (name == "comm_priority") slot = &node.comm_priority;
  else if (name == "pg_name") slot = &node.pg_name;
  else if (name == "involved_dim") slot = &node.involved_dim;
  else if (name == "num_ops") slot = &node.num_ops;
  else if (name == "tensor_size") slot = &node.tensor_size;
  if (!value.present()) {  // a name without a value: the feeder cannot convert it
    value.kind = AttrValue::Kind::OtherList;
    value.type_name = "no value";
  }
  if (slot && !slot->present()) *slot = value;
}

void read_deps(WireReader& r, WireType t, ChakraTrace& trace, TraceNode& node) {
  if (t == WireType::Varint) {
    trace.deps.push_back(r.varint());
    ++node.deps_count;
  } else if (t == WireType::Bytes) {
    WireReader packed = r.sub();
    while (!packed.done()) {
      trace.deps.push_back(packed.varint());
      ++node.deps_count;
    }
  } else {
    throw WireError(r.offset(), "dependency list with the wrong wire type");
  }
}

void read_node(WireReader r, ChakraTrace& trace) {
  TraceNode node;
  node.deps_begin = static_cast<std::uint32_t>(trace.deps.size());
  while (!r.done()) {
    std::uint32_t f;
    WireType t;
    r.tag(f, t);
    auto want = [&](WireType w, const char* what) {
      if (t != w) throw WireError(r.offset(), std::string("node field ") + what + " has the wrong wire type");
    };
    switch (f) {
      case 1: want(WireType::Varint, "id"); node.id = r.varint(); break;
      case 2: want(WireType::Bytes, "name"); node.name = r.bytes(); break;
      case 3: {
        want(WireType::Varint, "type");
        const std::uint64_t type = r.varint();
        node.type = type > 0xffffffffULL ? 0xffffffffU : static_cast<std::uint32_t>(type);
        break;
      }
      case 4:
      case 5: read_deps(r, t, trace, node); break;
      case 7: want(WireType::Varint, "duration_micros"); node.duration_micros = r.varint(); break;
      case 10: want(WireType::Bytes, "attr"); read_node_attr(r.sub(), node); break;
      default: r.skip(t);  // start_time_micros, inputs, outputs, unknown fields
    }
  }
  trace.nodes.push_back(node);
}

void read_metadata(WireReader r, ChakraTrace& trace) {
  while (!r.done()) {
    std::uint32_t f;
    WireType t;
    r.tag(f, t);
    if (f == 2 && t == WireType::Bytes) {
      WireReader a = r.sub();
      std::string_view name, text;
      while (!a.done()) {
        std::uint32_t af;
        WireType at;
        a.tag(af, at);
        if (af == 1 && at == WireType::Bytes) name = a.bytes();
        else if (af == 29 && at == WireType::Bytes) text = a.bytes();
        else a.skip(at);
      }
      if (name == "schema") trace.schema = text;
    } else if ((f == 1 || f == 2) && t != WireType::Bytes) {
      throw WireError(r.offset(), "GlobalMetadata field with the wrong wire type");
    } else {
      r.skip(t);
    }
  }
}

std::string node_context(const ChakraTrace& trace) {
  if (trace.nodes.empty()) return "the first node";
  return "the node after node " + std::to_string(trace.nodes.back().id);
}

}  // namespace

ChakraTrace parse_chakra_trace(std::string bytes, const std::string& file) {
  ChakraTrace trace;
  trace.file = file;
  trace.bytes = std::make_shared<const std::string>(std::move(bytes));
  const std::string& b = *trace.bytes;
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b)
    throw InputError(file, "", "gzip-compressed; ASTRA-sim's trace feeder reads traces uncompressed only - gunzip it first");
  if (b.empty()) throw InputError(file, "", "empty file (a Chakra trace starts with a GlobalMetadata message)");
  WireReader stream(b);
  trace.nodes.reserve(b.size() / 24);  // a node takes 20-60 bytes on the wire
  trace.deps.reserve(b.size() / 24);
  bool metadata = true;
  while (!stream.done()) {
    const std::size_t at = stream.offset();
    try {
      WireReader message = stream.sub();
      if (metadata) read_metadata(message, trace);
      else read_node(message, trace);
    } catch (const WireError& e) {
      // (a node that failed half-way is not in trace.nodes: the context is the one before it)
      const std::string what = metadata ? "the GlobalMetadata" : node_context(trace);
      throw InputError(file, "byte " + std::to_string(e.offset()),
                       std::string(e.what()) + " in " + what + (e.offset() == at ? "" : " (message at byte " + std::to_string(at) + ")") +
                           ": the file is truncated or corrupt");
    }
    metadata = false;
  }
  if (metadata) throw InputError(file, "", "no GlobalMetadata message");
  return trace;
}

ChakraTrace read_chakra_trace(const std::string& path) { return parse_chakra_trace(read_input_file(path), path); }

}  // namespace astra::chakra
