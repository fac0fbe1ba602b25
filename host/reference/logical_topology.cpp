#include "host/reference/logical_topology.hpp"

#include <memory>
#include <vector>

namespace astra::reference {

namespace {
struct TreeNode {
  std::unique_ptr<TreeNode> left, right;
  std::int64_t id = 0;
};

std::unique_ptr<TreeNode> build_full(int levels) {
  auto node = std::make_unique<TreeNode>();
  if (levels > 1) {
    node->left = build_full(levels - 1);
    node->right = build_full(levels - 1);
  }
  return node;
}

void number_in_order(TreeNode* node, std::int64_t& next, std::int64_t stride) {
  if (node->left) number_in_order(node->left.get(), next, stride);
  node->id = next;
  next += stride;
  if (node->right) number_in_order(node->right.get(), next, stride);
}
}  // namespace

BinaryTree::BinaryTree(std::int64_t n, std::int64_t start, std::int64_t stride, bool top_is_max) {
  int depth = 1;
  for (std::int64_t t = n; t > 1; t /= 2) ++depth;
  TreeNode top;
  if (depth - 1 >= 1) (top_is_max ? top.left : top.right) = build_full(depth - 1);
  std::int64_t next = start;
  number_in_order(&top, next, stride);

  std::vector<std::pair<TreeNode*, TreeNode*>> todo{{&top, nullptr}};
  while (!todo.empty()) {
    auto [node, parent] = todo.back();
    todo.pop_back();
    parent_[node->id] = parent ? parent->id : kNone;
    left_[node->id] = node->left ? node->left->id : kNone;
    right_[node->id] = node->right ? node->right->id : kNone;
    if (node->left) todo.push_back({node->left.get(), node});
    if (node->right) todo.push_back({node->right.get(), node});
  }
}

TreeRole BinaryTree::role(std::int64_t id) const {
  if (parent_.at(id) == kNone) return TreeRole::Root;
  if (left_.at(id) == kNone && right_.at(id) == kNone) return TreeRole::Leaf;
  return TreeRole::Intermediate;
}

}  // namespace astra::reference
