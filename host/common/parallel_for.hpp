// Runs body(begin, end) over [0, count) in blocks on all cores with plain std::thread: each
// worker takes the next block from an atomic counter until none is left. The first exception
// a body throws is rethrown on the calling thread after every worker has stopped.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace astra {

inline unsigned default_thread_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

template <class Body>
void parallel_for(std::size_t count, std::size_t block, unsigned threads, Body&& body) {
  if (count == 0) return;
  if (block == 0) block = 1;
  if (threads == 0) threads = default_thread_count();
  const std::size_t blocks = (count + block - 1) / block;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, blocks));
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (true) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks) return;
      try {
        body(b * block, std::min(count, (b + 1) * block));
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(blocks);
        return;
      }
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace astra
