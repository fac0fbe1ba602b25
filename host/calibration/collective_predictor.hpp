// The model a calibration fits: ASTRA-sim's predicted finish time of one collective, answered
// by the fast evaluator (kernels/model/point_evaluator.hpp) and, where it says the point needs
// the full event simulation, by the reference simulator.
#pragma once

#include <cstdint>
#include <optional>

#include "kernels/model/config.hpp"

namespace astra::calibration {

struct CollectiveSetup {
  NetworkConfig network;
  SystemConfig system;
  NetworkBackend backend = NetworkBackend::CongestionUnaware;
  CollectiveKind collective = CollectiveKind::AllReduce;
};

// Finish time in ns, or nothing when the configuration is rejected (outside ASTRA-sim's
// defined semantics) or the simulation did not complete.
std::optional<double> predict_collective_ns(const CollectiveSetup& setup, std::uint64_t size_bytes);

}  // namespace astra::calibration
