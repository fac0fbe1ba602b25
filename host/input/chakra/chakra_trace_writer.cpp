// Encodes GlobalMetadata and Node messages field by field in field-number order (what Python's
// protobuf emits for the converter), proto3 defaults left out except inside the attribute oneof.
#include "host/input/chakra/chakra_trace_writer.hpp"

#include <fstream>
#include <stdexcept>

#include "host/input/chakra/chakra_trace.hpp"
#include "host/input/chakra/protobuf_wire.hpp"
#include "host/common/atomic_output_file.hpp"

namespace astra::chakra {
namespace {

void put_message(std::string& out, const std::string& message) {
  put_varint(out, message.size());
  out += message;
}

std::string string_attr(std::string_view name, std::string_view value) {
  std::string a;
  put_bytes_field(a, 1, name);
  put_bytes_field(a, 29, value);
  return a;
}

std::string int64_attr(std::string_view name, std::int64_t value) {
  std::string a;
  put_bytes_field(a, 1, name);
  put_varint_field(a, 9, static_cast<std::uint64_t>(value));
  return a;
}

std::uint64_t comm_type_value(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::AllReduce: return kAllReduce;
    case CollectiveKind::AllGather: return kAllGather;
    case CollectiveKind::ReduceScatter: return kReduceScatter;
    case CollectiveKind::AllToAll: return kAllToAll;
  }
  throw std::logic_error("unknown collective");
}

}  // namespace

std::string text_as_python_reads_it(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

std::string chakra_trace_bytes(const Workload& w, const std::string& input_text, std::int64_t rank) {
  std::string out, msg, field;
  put_bytes_field(msg, 2, string_attr("schema", "1.0.2-chakra.0.0.4"));
  put_bytes_field(msg, 2, string_attr("input_file", input_text));
  put_message(out, msg);
  const auto base = static_cast<std::uint64_t>(rank) * w.nodes.size();
  for (std::size_t i = 0; i < w.nodes.size(); ++i) {
    const WorkloadNode& n = w.nodes[i];
    msg.clear();
    if (base + i != 0) put_varint_field(msg, 1, base + i);
    const std::string& name = i < w.node_names.size() ? w.node_names[i] : std::string();
    if (!name.empty()) put_bytes_field(msg, 2, name);
    put_varint_field(msg, 3, n.kind == NodeKind::Compute ? kCompNode : kCommCollNode);
    if (n.deps_count > 0) {
      field.clear();
      for (std::int32_t k = 0; k < n.deps_count; ++k)
        put_varint(field, base + static_cast<std::uint64_t>(w.deps[static_cast<std::size_t>(n.deps_begin + k)]));
      put_bytes_field(msg, 5, field);
    }
    if (n.kind == NodeKind::Compute) {
      if (n.duration_us != 0) put_varint_field(msg, 7, n.duration_us);
    } else {
      put_bytes_field(msg, 10, int64_attr("comm_type", static_cast<std::int64_t>(comm_type_value(n.collective))));
      put_bytes_field(msg, 10, int64_attr("comm_size", static_cast<std::int64_t>(n.size_bytes)));
    }
    put_message(out, msg);
  }
  return out;
}

std::vector<std::string> write_chakra_traces(const Workload& w, const std::string& input_text, const std::string& prefix,
                                             std::int64_t npus) {
  if (npus < 1) throw std::invalid_argument("write_chakra_traces: npus must be at least 1");
  std::vector<std::string> written;
  for (std::int64_t r = 0; r < npus; ++r) {
    const std::string path = prefix + "." + std::to_string(r) + ".et";
    AtomicOutputFile file(path);
    {
      std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
      const std::string bytes = chakra_trace_bytes(w, input_text, r);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.close();
      if (!out) throw std::runtime_error("cannot write " + file.temp_path());
    }
    file.commit();
    written.push_back(path);
  }
  return written;
}

}  // namespace astra::chakra
