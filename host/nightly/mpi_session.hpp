// MPI for `astra-sweep run --mpi` (built when CMake finds MPI: ASTRA_HAVE_MPI). Rank r of R runs
// shard r/R of the points; summaries are combined on rank 0. Without MPI in the build,
// constructing a session throws InputError (exit 2) saying so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/sweep/run/sweep_runner.hpp"

namespace astra {

class MpiSession {
 public:
  MpiSession();  // MPI_Init (MPI_Init_thread FUNNELED): the writer thread never calls MPI
  ~MpiSession();  // MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  int local_rank() const { return local_rank_; }  // among the ranks on this node

  // Whether `mine` holds on every rank.
  bool all(bool mine) const;
  // The largest of the ranks' values (e.g. exit codes).
  int max(int mine) const;
  // Rank 0 receives the ranks' summaries combined (counts added, min/max/sum combined, the best
  // point over all ranks); the other ranks get their own back.
  SweepRunSummary combine(const SweepRunSummary& mine) const;

  // The sum of the ranks' values, on every rank.
  std::uint64_t sum(std::uint64_t mine) const;
  // Every rank holds `values` of the full size and has filled items [begin, end) (item = `width`
  // consecutive floats; the ranks' ranges tile the whole); afterwards every rank holds all items.
  void share_items(std::vector<float>& values, std::uint64_t begin, std::uint64_t end, std::uint64_t width) const;
  void share_items(std::vector<double>& values, std::uint64_t begin, std::uint64_t end, std::uint64_t width) const;

  static bool available();  // whether this build has MPI

 private:
  int rank_ = 0, size_ = 1, local_rank_ = 0;
};

// One GPU per rank, before CUDA starts: the process sees only GPU local_rank % devices
// (CUDA_VISIBLE_DEVICES; an existing list, e.g. from Slurm, is split the same way). Devices are
// counted from /proc/driver/nvidia/gpus, so this needs no CUDA library. Returns the GPU chosen
// ("" when there is none).
std::string pin_gpu_for_local_rank(int local_rank);

}  // namespace astra
