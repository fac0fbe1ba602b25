// One Chakra execution trace file (`<prefix>.<rank>.et`) as read from the wire: the nodes in file
// order with the fields and attributes ASTRA-sim 2.x's feeder and workload layer look at, nothing
// interpreted yet (see chakra_rank_graph.hpp for what they mean). Schema: Chakra's et_def.proto.
//
//   file:  [len][GlobalMetadata][len][Node][len][Node] ...      len = varint32 byte count
//   Node:  1 id  2 name  3 type  4 ctrl_deps  5 data_deps  7 duration_micros  10 attr (repeated)
//   attr:  1 name  + one value member, e.g. 9 int64_val, 28 bool_list, 29 string_val
//
//   e.g. rank 1 of Chakra's ResNet-50 conversion, second node:
//     2c | 08 d8 01 | 12 1e "COMP_NODE_layer_64_1_conv4_FWD" | 18 04 | 2a 02 d7 01 | 38 80 1b
//     len=44 id=216  name                                     COMP    data_deps=[215]  3456 us
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace astra::chakra {

// et_def.proto NodeType
enum ChakraNodeType : std::uint32_t {
  kInvalidNode = 0, kMetadataNode = 1, kMemLoadNode = 2, kMemStoreNode = 3,
  kCompNode = 4, kCommSendNode = 5, kCommRecvNode = 6, kCommCollNode = 7,
};
// et_def.proto CollectiveCommType (the ones with a meaning here)
enum ChakraCommType : std::uint64_t {
  kAllReduce = 0, kReduce = 1, kAllGather = 2, kGather = 3, kScatter = 4, kBroadcast = 5,
  kAllToAll = 6, kReduceScatter = 7, kReduceScatterBlock = 8, kBarrier = 9,
};

// An AttributeProto value, as far as the feeder can convert it.
struct AttrValue {
  enum class Kind : std::uint8_t { Absent, Integer, Floating, String, BoolList, OtherList };
  Kind kind = Kind::Absent;
  const char* type_name = "";  // the oneof member, e.g. "int64_val", for messages
  bool negative = false;       // Integer: signed and below zero
  std::uint64_t magnitude = 0; // Integer: |value|
  std::string_view text;       // String (string_val or bytes_val)
  std::uint32_t list_count = 0;  // BoolList
  bool list_all_true = true;     // BoolList

  bool present() const { return kind != Kind::Absent; }
};

struct TraceNode {
  std::uint64_t id = 0;
  std::uint32_t type = kInvalidNode;  // raw NodeType value (may be outside the enum)
  std::uint64_t duration_micros = 0;
  std::uint32_t deps_begin = 0;  // into ChakraTrace::deps: data and control deps, wire order
  std::uint32_t deps_count = 0;
  std::string_view name;
  // attributes ASTRA-sim's workload layer reads (the first of each name, as the feeder finds it)
  AttrValue is_cpu_op, comm_type, comm_size, comm_src, comm_dst, comm_tag, comm_priority, pg_name, involved_dim;
  AttrValue num_ops, tensor_size;  // COMP: what ASTRA-sim's roofline model times instead of duration_micros
};

struct ChakraTrace {
  std::string file;
  // the whole file, on the heap so that the string_views above stay valid when a trace is moved
  // or copied
  std::shared_ptr<const std::string> bytes;
  std::string_view schema;  // GlobalMetadata attribute "schema", if given
  std::vector<TraceNode> nodes;  // file order
  std::vector<std::uint64_t> deps;
};

// Parses the varint32-length-delimited stream: one GlobalMetadata, then Nodes. Throws InputError
// (file, "byte N" or "node ID", reason) on truncated or corrupt data and on gzip-compressed files
// (ASTRA-sim's feeder reads traces uncompressed).
ChakraTrace parse_chakra_trace(std::string bytes, const std::string& file);
ChakraTrace read_chakra_trace(const std::string& path);

}  // namespace astra::chakra
