#include "host/nightly/mpi_session.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <sstream>

#include "host/input/input_error.hpp"

#if defined(ASTRA_HAVE_MPI)
#include <mpi.h>
#endif

namespace astra {

namespace fs = std::filesystem;

std::string pin_gpu_for_local_rank(int local_rank) {
  std::vector<std::string> gpus;
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES")) {
    std::string list = visible, item;
    std::stringstream in(list);
    while (std::getline(in, item, ','))
      if (!item.empty()) gpus.push_back(item);
  } else {
    std::error_code ec;
    std::size_t count = 0;
    for (auto it = fs::directory_iterator("/proc/driver/nvidia/gpus", ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      ++count;
    for (std::size_t d = 0; d < count; ++d) gpus.push_back(std::to_string(d));
  }
  if (gpus.empty()) return "";
  const std::string gpu = gpus[static_cast<std::size_t>(local_rank) % gpus.size()];
  ::setenv("CUDA_VISIBLE_DEVICES", gpu.c_str(), 1);
  return gpu;
}

bool MpiSession::available() {
#if defined(ASTRA_HAVE_MPI)
  return true;
#else
  return false;
#endif
}

#if defined(ASTRA_HAVE_MPI)

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &local_rank_);
  MPI_Comm_free(&node);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

bool MpiSession::all(bool mine) const {
  int in = mine ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return out == 1;
}

int MpiSession::max(int mine) const {
  int out = 0;
  MPI_Allreduce(&mine, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

SweepRunSummary MpiSession::combine(const SweepRunSummary& mine) const {
  // Flattened: counts as uint64, statistics as doubles; the per-axis tables have the same shape
  // on every rank (same spec).
  std::vector<std::uint64_t> u = {mine.total_points, mine.filtered, mine.written, mine.ok, mine.rejected,
                                  mine.incomplete, mine.by_reference, mine.metric_count, mine.best_index,
                                  mine.nonphysical};
  std::vector<double> d = {mine.seconds, mine.metric_min, mine.metric_max, mine.metric_sum};
  for (const auto& axis : mine.per_axis)
    for (const AxisValueStats& v : axis) {
      u.push_back(v.count);
      d.insert(d.end(), {v.min, v.max, v.sum});
    }
  std::vector<std::uint64_t> all_u(rank_ == 0 ? u.size() * size_ : 0);
  std::vector<double> all_d(rank_ == 0 ? d.size() * size_ : 0);
  MPI_Gather(u.data(), static_cast<int>(u.size()), MPI_UINT64_T, all_u.data(), static_cast<int>(u.size()),
             MPI_UINT64_T, 0, MPI_COMM_WORLD);
  MPI_Gather(d.data(), static_cast<int>(d.size()), MPI_DOUBLE, all_d.data(), static_cast<int>(d.size()), MPI_DOUBLE,
             0, MPI_COMM_WORLD);
  if (rank_ != 0) return mine;
  SweepRunSummary s = mine;
  const bool largest = metric_prefers_largest(metric_column(mine.metric_name));
  s.total_points = s.filtered = s.written = s.ok = s.rejected = s.incomplete = s.by_reference = s.metric_count = 0;
  s.nonphysical = 0;
  s.seconds = s.metric_sum = 0.0;
  for (auto& axis : s.per_axis)
    for (AxisValueStats& v : axis) v = {v.value, 0, 0.0, 0.0, 0.0};
  for (int r = 0; r < size_; ++r) {
    const std::uint64_t* ru = all_u.data() + r * u.size();
    const double* rd = all_d.data() + r * d.size();
    s.total_points += ru[0];
    s.filtered += ru[1];
    s.written += ru[2];
    s.ok += ru[3];
    s.rejected += ru[4];
    s.incomplete += ru[5];
    s.by_reference += ru[6];
    s.nonphysical += ru[9];
    s.seconds = std::max(s.seconds, rd[0]);
    if (ru[7] > 0) {
      const bool better = s.metric_count == 0 || (largest ? rd[2] > s.metric_max : rd[1] < s.metric_min);
      if (better) s.best_index = ru[8];
      s.metric_min = s.metric_count == 0 ? rd[1] : std::min(s.metric_min, rd[1]);
      s.metric_max = s.metric_count == 0 ? rd[2] : std::max(s.metric_max, rd[2]);
      s.metric_sum += rd[3];
      s.metric_count += ru[7];
    }
    std::size_t ku = 10, kd = 4;
    for (auto& axis : s.per_axis)
      for (AxisValueStats& v : axis) {
        const std::uint64_t count = ru[ku++];
        const double mn = rd[kd], mx = rd[kd + 1], sum = rd[kd + 2];
        kd += 3;
        if (count == 0) continue;
        v.min = v.count == 0 ? mn : std::min(v.min, mn);
        v.max = v.count == 0 ? mx : std::max(v.max, mx);
        v.sum += sum;
        v.count += count;
      }
  }
  return s;
}

std::uint64_t MpiSession::sum(std::uint64_t mine) const {
  std::uint64_t out = 0;
  MPI_Allreduce(&mine, &out, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return out;
}

namespace {
template <typename T>
void share(std::vector<T>& values, std::uint64_t begin, std::uint64_t end, std::uint64_t width, int ranks,
           MPI_Datatype type) {
  const std::uint64_t mine[2] = {begin * width, (end - begin) * width};
  std::vector<std::uint64_t> all(2 * static_cast<std::size_t>(ranks));
  MPI_Allgather(mine, 2, MPI_UINT64_T, all.data(), 2, MPI_UINT64_T, MPI_COMM_WORLD);
  std::vector<int> offsets(ranks), counts(ranks);
  for (int r = 0; r < ranks; ++r) {
    if (all[2 * r] + all[2 * r + 1] > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
      throw InputError("--mpi", "", "more than 2^31 values to share between ranks; use fewer points");
    offsets[r] = static_cast<int>(all[2 * r]);
    counts[r] = static_cast<int>(all[2 * r + 1]);
  }
  MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, values.data(), counts.data(), offsets.data(), type, MPI_COMM_WORLD);
}
}  // namespace

void MpiSession::share_items(std::vector<float>& values, std::uint64_t begin, std::uint64_t end,
                             std::uint64_t width) const {
  share(values, begin, end, width, size_, MPI_FLOAT);
}
void MpiSession::share_items(std::vector<double>& values, std::uint64_t begin, std::uint64_t end,
                             std::uint64_t width) const {
  share(values, begin, end, width, size_, MPI_DOUBLE);
}

#else

MpiSession::MpiSession() {
  throw InputError("--mpi", "", "this build has no MPI (OpenMPI was not found when it was configured)");
}
MpiSession::~MpiSession() = default;
bool MpiSession::all(bool mine) const { return mine; }
int MpiSession::max(int mine) const { return mine; }
SweepRunSummary MpiSession::combine(const SweepRunSummary& mine) const { return mine; }
std::uint64_t MpiSession::sum(std::uint64_t mine) const { return mine; }
void MpiSession::share_items(std::vector<float>&, std::uint64_t, std::uint64_t, std::uint64_t) const {}
void MpiSession::share_items(std::vector<double>&, std::uint64_t, std::uint64_t, std::uint64_t) const {}

#endif

}  // namespace astra
