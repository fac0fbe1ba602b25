// Logical topologies a collective phase runs on (spec 4.2, 4.8.4).
//
// LogicalRing: the n NPUs that differ from `id` only in one dimension's digit, stride `offset`:
//     node(i) = base + (i mod n) * offset          e.g. dims [4,2], dim 1 of NPU 5:
//     index   = (id mod (offset*n)) / offset            offset 4, n 2: ring {1, 5}, index 1
// one* algorithms use one ring over all NPUs (offset 1).
//
// BinaryTree: doubleBinaryTree's trees. A full binary tree of depth-1 levels hangs under an
// extra top node, as its left child ("max" tree: the top gets the largest id) or right child
// ("min" tree: the top gets the smallest id). Ids are assigned in order: start, start+stride, ...
//
//   max tree, n = 4, stride 1:        min tree, n = 4:
//            3 (top)                     0 (top)
//           /                             \   (right child)
//          1                               2
//         / \                             / \   (in-order ids)
//        0   2                           1   3
#pragma once

#include <cstdint>
#include <map>

namespace astra::reference {

struct LogicalRing {
  std::int64_t n = 1;
  std::int64_t offset = 1;
  std::int64_t index = 0;
  std::int64_t base = 0;

  LogicalRing() = default;
  LogicalRing(std::int64_t id, std::int64_t nodes, std::int64_t stride)
      : n(nodes), offset(stride), index((id % (stride * nodes)) / stride), base(id - index * stride) {}

  [[nodiscard]] std::int64_t node(std::int64_t i) const { return base + (((i % n) + n) % n) * offset; }
  [[nodiscard]] std::int64_t index_of(std::int64_t node_id) const { return (node_id - base) / offset; }
  // The next node in the phase's direction (clockwise: index + 1) and the previous one.
  [[nodiscard]] std::int64_t receiver(std::int64_t node_id, bool clockwise) const {
    return node(index_of(node_id) + (clockwise ? 1 : -1));
  }
  [[nodiscard]] std::int64_t sender(std::int64_t node_id, bool clockwise) const {
    return node(index_of(node_id) + (clockwise ? -1 : 1));
  }
};

enum class TreeRole { Root, Intermediate, Leaf };

class BinaryTree {
 public:
  static constexpr std::int64_t kNone = -1;
  BinaryTree(std::int64_t n, std::int64_t start, std::int64_t stride, bool top_is_max);

  [[nodiscard]] bool contains(std::int64_t id) const { return parent_.count(id) != 0; }
  [[nodiscard]] TreeRole role(std::int64_t id) const;
  [[nodiscard]] std::int64_t parent(std::int64_t id) const { return parent_.at(id); }
  [[nodiscard]] std::int64_t left(std::int64_t id) const { return left_.at(id); }
  [[nodiscard]] std::int64_t right(std::int64_t id) const { return right_.at(id); }

 private:
  std::map<std::int64_t, std::int64_t> parent_, left_, right_;
};

// The two trees of one dimension; phases built on it alternate max, min, max, ...
class DoubleBinaryTree {
 public:
  DoubleBinaryTree(std::int64_t n, std::int64_t start, std::int64_t stride)
      : n_(n), max_tree_(n, start, stride, true), min_tree_(n, start, stride, false) {}
  [[nodiscard]] std::int64_t size() const { return n_; }
  const BinaryTree& next_tree() { return (counter_++ % 2 == 0) ? max_tree_ : min_tree_; }

 private:
  std::int64_t n_;
  BinaryTree max_tree_, min_tree_;
  std::uint64_t counter_ = 0;
};

}  // namespace astra::reference
