// doubleBinaryTree (spec 4.8.4): a full all-reduce of the phase's data over one of the
// dimension's two binary trees, whatever the collective asked for. Every step is a bundle
// (endpoint delay, plus the local reduction where marked R):
//
//   leaf          bundle -> send to parent, wait for parent -> bundle -> done
//   intermediate  wait for both children (bundle R on each; the first General is swallowed)
//                 -> send to parent, wait for parent -> bundle R -> send to both children, done
//   root          wait for its child -> bundle R -> send to the child, done
#pragma once

#include <cstdint>

#include "host/reference/logical_topology.hpp"
#include "host/reference/phase_algorithm.hpp"

namespace astra::reference {

class DoubleBinaryTreeAlgorithm final : public PhaseAlgorithm {
 public:
  DoubleBinaryTreeAlgorithm(std::int64_t id, const BinaryTree& tree, std::uint64_t data_bytes);
  void run(AlgorithmEvent event) override;

 private:
  enum class State { Begin, WaitBoth, WaitOne, SendParent, WaitParent, SendChildren, End };
  void send(std::int64_t to);
  void receive(std::int64_t from);
  void bundle(bool reduction);
  void done();

  std::int64_t id_;
  TreeRole role_;
  std::int64_t parent_, left_, right_;
  std::uint64_t size_bytes_;
  State state_ = State::Begin;
  int swallowed_generals_ = 0;
};

}  // namespace astra::reference
