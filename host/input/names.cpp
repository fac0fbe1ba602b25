// Names of collectives, collective algorithms and topologies, as written in ASTRA-sim's files
// and on our command line.
#include <cctype>
#include <string>
#include <string_view>

#include "host/input/parsers.hpp"
#include "host/input/quoted_text.hpp"
#include "kernels/model/names.hpp"

namespace astra {
namespace {

// "all_reduce", "all-reduce", "allreduce", "AllReduce" and "ALLREDUCE" all become "allreduce".
std::string squeezed_lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The window N of "directN" / "oneDirectN": 1 to 5 digits (ASTRA-sim reads at most 5), N >= 1.
AlgorithmChoice windowed(AlgorithmKind kind, std::string_view name, std::string_view digits,
                         const std::string& file, const std::string& field) {
  AlgorithmChoice choice;
  choice.kind = kind;
  if (digits.empty()) return choice;
  bool all_digits = digits.size() <= 5;
  for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
  if (!all_digits) {
    throw InputError(file, field,
                     "unknown collective implementation " + quoted_text(name) + " (a window is written as " +
                         std::string(algorithm_name(kind)) + "N with N = 1 to 5 digits, e.g. " +
                         std::string(algorithm_name(kind)) + "2)");
  }
  const int window = std::stoi(std::string(digits));
  if (window < 1) {
    throw InputError(file, field, "collective implementation " + quoted_text(name) + " has window 0; it must be at least 1");
  }
  choice.window = window;
  return choice;
}

}  // namespace

CollectiveKind parse_collective_name(std::string_view name, const std::string& file, const std::string& field) {
  const std::string key = squeezed_lower(name);
  if (key == "allreduce") return CollectiveKind::AllReduce;
  if (key == "allgather") return CollectiveKind::AllGather;
  if (key == "reducescatter") return CollectiveKind::ReduceScatter;
  if (key == "alltoall") return CollectiveKind::AllToAll;
  throw InputError(file, field,
                   "unknown collective " + quoted_text(name) + " (valid: all_reduce, all_gather, reduce_scatter, all_to_all)");
}

AlgorithmChoice parse_algorithm_name(std::string_view name, const std::string& file, const std::string& field) {
  AlgorithmChoice choice;
  if (name == "ring") { choice.kind = AlgorithmKind::Ring; return choice; }
  if (name == "halvingDoubling") { choice.kind = AlgorithmKind::HalvingDoubling; return choice; }
  if (name == "doubleBinaryTree") { choice.kind = AlgorithmKind::DoubleBinaryTree; return choice; }
  if (name == "oneRing") { choice.kind = AlgorithmKind::OneRing; return choice; }
  if (name == "oneHalvingDoubling") { choice.kind = AlgorithmKind::OneHalvingDoubling; return choice; }
  constexpr std::string_view kDirect = "direct", kOneDirect = "oneDirect";
  if (name.substr(0, kDirect.size()) == kDirect) {
    return windowed(AlgorithmKind::Direct, name, name.substr(kDirect.size()), file, field);
  }
  if (name.substr(0, kOneDirect.size()) == kOneDirect) {
    return windowed(AlgorithmKind::OneDirect, name, name.substr(kOneDirect.size()), file, field);
  }
  throw InputError(file, field,
                   "unknown collective implementation " + quoted_text(name) +
                       " (valid: ring, direct, directN, halvingDoubling, doubleBinaryTree, oneRing, oneDirect, "
                       "oneDirectN, oneHalvingDoubling)");
}

TopologyKind parse_topology_name(std::string_view name, const std::string& file, const std::string& field) {
  if (name == "Ring") return TopologyKind::Ring;
  if (name == "Switch") return TopologyKind::Switch;
  if (name == "FullyConnected") return TopologyKind::FullyConnected;
  throw InputError(file, field, "unknown topology " + quoted_text(name) + " (valid: Ring, Switch, FullyConnected)");
}

}  // namespace astra
