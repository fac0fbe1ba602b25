// Writes a workload as a Chakra trace set the way Chakra's text converter does
// (`converter Text --num-npus N`): `<prefix>.<rank>.et` per NPU, each a varint32-length-delimited
// GlobalMetadata (schema "1.0.2-chakra.0.0.4", the text workload as "input_file") followed by the
// nodes; node ids keep counting across ranks (rank r's node i has id r * nodes + i), as the
// converter's one counter does. For a text workload the files are byte for byte the converter's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/workload/workload.hpp"

namespace astra::chakra {

// Rank `rank`'s file content. `input_text` is the text workload as the converter read it.
std::string chakra_trace_bytes(const Workload& w, const std::string& input_text, std::int64_t rank);

// The text as Python's text mode hands it to the converter: \r\n and \r read as \n.
std::string text_as_python_reads_it(const std::string& text);

// Writes every rank's file (each atomically); returns the paths written.
std::vector<std::string> write_chakra_traces(const Workload& w, const std::string& input_text, const std::string& prefix,
                                             std::int64_t npus);

}  // namespace astra::chakra
