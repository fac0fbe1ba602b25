#include "host/reference/double_binary_tree_algorithm.hpp"

#include "host/reference/npu_system.hpp"

namespace astra::reference {

DoubleBinaryTreeAlgorithm::DoubleBinaryTreeAlgorithm(std::int64_t id, const BinaryTree& tree, std::uint64_t data_bytes)
    : id_(id),
      role_(tree.role(id)),
      parent_(tree.parent(id)),
      left_(tree.left(id)),
      right_(tree.right(id)),
      size_bytes_(data_bytes) {
  output_size_bytes_ = data_bytes;
}

void DoubleBinaryTreeAlgorithm::send(std::int64_t to) {
  NpuSystem& sys = *stream_->owner;
  sys.network().send(sys.id(), to, size_bytes_, stream_->stream_id);
}

void DoubleBinaryTreeAlgorithm::receive(std::int64_t from) {
  NpuSystem& sys = *stream_->owner;
  Stream* stream = stream_;
  sys.network().recv(from, sys.id(), size_bytes_, stream->stream_id, [stream] { stream->on_received(); });
}

void DoubleBinaryTreeAlgorithm::bundle(bool reduction) { stream_->owner->make_bundle(stream_, reduction, size_bytes_); }

void DoubleBinaryTreeAlgorithm::done() { stream_->owner->proceed(stream_); }

void DoubleBinaryTreeAlgorithm::run(AlgorithmEvent event) {
  switch (role_) {
    case TreeRole::Leaf:
      switch (state_) {
        case State::Begin: bundle(false), state_ = State::SendParent; break;
        case State::SendParent: send(parent_), receive(parent_), state_ = State::WaitParent; break;
        case State::WaitParent: bundle(false), state_ = State::End; break;
        case State::End: done(); break;
        default: break;
      }
      return;
    case TreeRole::Intermediate:
      if (state_ == State::Begin) {
        state_ = State::WaitBoth;
        receive(left_);
        receive(right_);
      } else if (state_ == State::WaitBoth && event == AlgorithmEvent::Received) {
        bundle(true), state_ = State::WaitOne;
      } else if (state_ == State::WaitOne && event == AlgorithmEvent::Received) {
        bundle(true), state_ = State::SendParent;
      } else if (swallowed_generals_ < 1 && event == AlgorithmEvent::General) {
        ++swallowed_generals_;
      } else if (state_ == State::SendParent) {
        state_ = State::WaitParent;
        send(parent_);
        receive(parent_);
      } else if (state_ == State::WaitParent && event == AlgorithmEvent::Received) {
        bundle(true), state_ = State::SendChildren;
      } else if (state_ == State::SendChildren) {
        send(left_);
        send(right_);
        done();
      }
      return;
    case TreeRole::Root: {
      const std::int64_t child = left_ != BinaryTree::kNone ? left_ : right_;
      if (state_ == State::Begin) {
        state_ = State::WaitOne;
        receive(child);
      } else if (state_ == State::WaitOne) {
        bundle(true), state_ = State::SendChildren;
      } else if (state_ == State::SendChildren) {
        send(child);
        done();
      }
      return;
    }
  }
}

}  // namespace astra::reference
