#include "host/calibration/collective_names.hpp"

#include <string>

namespace astra::calibration {
namespace {

std::string normalise(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '_' || c == '-') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  for (std::string_view suffix : {"perfmpi", "perf"}) {
    if (out.size() > suffix.size() && out.ends_with(suffix)) {
      out.resize(out.size() - suffix.size());
      break;
    }
  }
  return out;
}

}  // namespace

std::optional<CollectiveKind> collective_from_measured_name(std::string_view name) {
  const std::string n = normalise(name);
  if (n == "allreduce") return CollectiveKind::AllReduce;
  if (n == "allgather") return CollectiveKind::AllGather;
  if (n == "reducescatter") return CollectiveKind::ReduceScatter;
  if (n == "alltoall") return CollectiveKind::AllToAll;
  return std::nullopt;
}

bool is_unmodelled_nccl_test(std::string_view name) {
  const std::string n = normalise(name);
  return n == "broadcast" || n == "reduce" || n == "sendrecv" || n == "scatter" || n == "gather" ||
         n == "hypercube";
}

}  // namespace astra::calibration
