// The project's one thread pool: runs a body over [0, count) in blocks on `threads` workers
// (0 = every core). Each worker takes the next block from an atomic counter until none is left;
// the calling thread is worker 0. The first exception a body throws stops the hand-out and is
// rethrown on the calling thread after every worker has stopped.
//
//   parallel_for(count, block, threads, body(begin, end))
//   parallel_for_workers(count, block, threads, body(worker, begin, end))
//       worker in [0, min(threads, blocks)): an index into per-worker scratch
//   parallel_for_each_index(count, block, threads, fn(worker, i))
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace astra {

[[nodiscard]] inline unsigned default_thread_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

template <class Body>
void parallel_for_workers(std::uint64_t count, std::uint64_t block, unsigned threads, Body&& body) {
  if (count == 0) return;
  if (block == 0) block = 1;
  if (threads == 0) threads = default_thread_count();
  const std::uint64_t blocks = (count + block - 1) / block;
  const unsigned workers = static_cast<unsigned>(std::min<std::uint64_t>(threads, blocks));
  std::atomic<std::uint64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](unsigned worker) {
    try {
      for (;;) {
        const std::uint64_t b = next.fetch_add(1, std::memory_order_relaxed);
        if (b >= blocks) return;
        body(worker, b * block, std::min(count, (b + 1) * block));
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(blocks);
    }
  };
  if (workers <= 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

template <class Body>
void parallel_for(std::uint64_t count, std::uint64_t block, unsigned threads, Body&& body) {
  parallel_for_workers(count, block, threads,
                       [&](unsigned, std::uint64_t begin, std::uint64_t end) { body(begin, end); });
}

template <class Fn>
void parallel_for_each_index(std::uint64_t count, std::uint64_t block, unsigned threads, Fn&& fn) {
  parallel_for_workers(count, block, threads, [&](unsigned worker, std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t i = begin; i < end; ++i) fn(worker, i);
  });
}

}  // namespace astra
