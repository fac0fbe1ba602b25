// One point of a sweep: everything a single evaluation needs, as plain data.
//
// A sweep starts from a base point (the spec's network YAML, system JSON, backend, collective
// and compute scale) and every axis overrides one field of it (see sweep_field.hpp).
#pragma once

#include <cstdint>

#include "kernels/model/config.hpp"

namespace astra {

struct SweepPoint {
  NetworkConfig network;
  SystemConfig system;
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  CollectiveKind collective = CollectiveKind::AllReduce;  // inline collective workloads only
  std::uint64_t size_bytes = 0;                           // inline collective workloads only
  double compute_scale = 1.0;                             // workload files only
};

}  // namespace astra
