// parallel_for_chunks: static worker threads pulling fixed-size chunks from an atomic counter.
// The first exception thrown by a worker is rethrown on the calling thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace astra {

template <typename Fn>
void parallel_for_chunks(std::uint64_t count, unsigned threads, std::uint64_t chunk, Fn&& fn) {
  if (count == 0) return;
  if (chunk == 0) chunk = 1;
  const std::uint64_t chunks = (count + chunk - 1) / chunk;
  const unsigned workers = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, threads), chunks));
  std::atomic<std::uint64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&](unsigned worker) {
    try {
      for (;;) {
        const std::uint64_t c = next.fetch_add(1, std::memory_order_relaxed);
        if (c >= chunks) return;
        const std::uint64_t begin = c * chunk;
        const std::uint64_t end = std::min(count, begin + chunk);
        for (std::uint64_t i = begin; i < end; ++i) fn(worker, i);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(chunks);
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace astra
