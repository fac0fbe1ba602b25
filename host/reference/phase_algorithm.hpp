// One phase of one chunk ("stream") of a collective: the per-dimension algorithm's state machine.
//
// Events an algorithm receives (spec 4.7):
//   Init      the stream was admitted to its queue and starts this phase
//   General   a packet bundle it created finished (endpoint delay, plus local reduction if any)
//   Received  a message it waits for arrived
#pragma once

#include <cstdint>

namespace astra::reference {

class NpuSystem;
struct Stream;

enum class AlgorithmEvent { Init, General, Received };

class PhaseAlgorithm {
 public:
  virtual ~PhaseAlgorithm() = default;
  virtual void run(AlgorithmEvent event) = 0;
  // Bytes the phase hands to the next phase (e.g. reduce-scatter leaves size / p).
  [[nodiscard]] std::uint64_t output_size_bytes() const { return output_size_bytes_; }
  void attach(Stream* stream) { stream_ = stream; }

 protected:
  Stream* stream_ = nullptr;
  std::uint64_t output_size_bytes_ = 0;
};

}  // namespace astra::reference
