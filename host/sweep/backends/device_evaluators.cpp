#include "host/sweep/backends/device_evaluators.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "host/input/input_error.hpp"
#include "host/sweep/backends/device_batch_evaluator.hpp"
#include "host/sweep/backends/multi_device_evaluator.hpp"

#include "host/sweep/backends/device_sweep_tables.hpp"

namespace astra {
namespace {

inline constexpr int kMaxDevices = 64;

bool parse_int(const std::string& s, int& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

[[maybe_unused]] std::vector<int> resolve(const DeviceSelection& sel, int available, const char* backend) {
  std::vector<int> ordinals;
  if (sel.all) {
    for (int d = 0; d < available; ++d) ordinals.push_back(d);
  } else if (!sel.ordinals.empty()) {
    for (int d : sel.ordinals) {
      if (d >= available)
        throw InputError("--devices", describe_device_selection(sel),
                         "device " + std::to_string(d) + " does not exist (" + backend + " sees " +
                             std::to_string(available) + ")");
      ordinals.push_back(d);
    }
  } else if (sel.count > 0) {
    if (sel.count > available)
      throw InputError("--devices", describe_device_selection(sel),
                       std::string(backend) + " sees " + std::to_string(available) + " device(s)");
    for (int d = 0; d < sel.count; ++d) ordinals.push_back(d);
  }
  return ordinals;  // empty: the current device
}

#if defined(ASTRA_HAVE_THRUST_OMP) || defined(ASTRA_HAVE_CUDA_BACKEND)
// Axis values of points [first, first + count) decoded by the device's threads, copied to `out`.
void decode_on(const DeviceApi& api, const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  const DeviceSweepTables tables(api, spec);
  const std::size_t bytes = count * spec.axes.size() * sizeof(double);
  const DeviceBuffer values(api, bytes);
  const DeviceStream stream = api.stream_create();
  try {
    api.decode_axis_values(tables.sweep(), first, count, values.as<double>(), stream);
    api.copy_to_host_async(out, values.as<void>(), bytes, stream);
    api.stream_sync(stream);
  } catch (...) {
    api.stream_destroy(stream);
    throw;
  }
  api.stream_destroy(stream);
}
#endif

}  // namespace

DeviceSelection parse_device_selection(const std::string& text) {
  DeviceSelection sel;
  if (text.empty()) return sel;
  if (text == "all") {
    sel.all = true;
    return sel;
  }
  if (text.find(',') == std::string::npos) {
    int n = 0;
    if (!parse_int(text, n) || n < 1 || n > kMaxDevices)
      throw InputError("--devices", text, "expected all, a device count 1-64, or a list of ordinals like 0,2,5");
    sel.count = n;
    return sel;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    int d = -1;
    if (!parse_int(text.substr(start, comma - start), d) || d < 0 || d >= kMaxDevices)
      throw InputError("--devices", text, "each listed device must be an ordinal 0-63");
    if (std::find(sel.ordinals.begin(), sel.ordinals.end(), d) != sel.ordinals.end())
      throw InputError("--devices", text, "device " + std::to_string(d) + " is listed twice");
    sel.ordinals.push_back(d);
    start = comma + 1;
  }
  return sel;
}

std::string describe_device_selection(const DeviceSelection& sel) {
  if (sel.all) return "all";
  if (!sel.ordinals.empty()) {
    std::string s;
    for (int d : sel.ordinals) {  // piece by piece: GCC 12 warns (-Wrestrict, falsely) on "," + to_string
      if (!s.empty()) s += ',';
      s += std::to_string(d);
    }
    return s;
  }
  return sel.count > 0 ? std::to_string(sel.count) : "";
}

#if defined(ASTRA_HAVE_THRUST_OMP)

// The CPU is thrust-omp's one device: a selection of N runs N stand-ins side by side.
std::unique_ptr<BatchEvaluator> make_thrust_omp_evaluator(const SweepSpec& spec, unsigned threads,
                                                          const DeviceSelection& devices) {
  const int n = devices.all ? 1 : !devices.ordinals.empty() ? static_cast<int>(devices.ordinals.size())
                                                            : std::max(devices.count, 1);
  std::vector<std::unique_ptr<BatchEvaluator>> parts;
  for (int d = 0; d < n; ++d) {
    DeviceEvaluatorOptions o;
    o.host_threads = threads;
    parts.push_back(make_device_evaluator(thrust_omp_device_api(), spec, o));
  }
  return make_multi_device_evaluator(std::move(parts));
}

void thrust_omp_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on(thrust_omp_device_api(), spec, first, count, out);
}

#endif

#if defined(ASTRA_HAVE_CUDA_BACKEND)

std::unique_ptr<BatchEvaluator> make_cuda_evaluator(const SweepSpec& spec, std::string& why_not,
                                                    const DeviceSelection& devices) {
  const DeviceApi& api = cuda_device_api();
  const int available = api.device_count(why_not);
  if (available == 0) return nullptr;
  std::vector<int> ordinals = resolve(devices, available, "cuda");
  std::vector<std::unique_ptr<BatchEvaluator>> parts;
  if (ordinals.empty()) parts.push_back(make_device_evaluator(api, spec, DeviceEvaluatorOptions{}));
  for (int d : ordinals) {
    DeviceEvaluatorOptions o;
    o.device = d;
    parts.push_back(make_device_evaluator(api, spec, o));
  }
  return make_multi_device_evaluator(std::move(parts));
}

void cuda_decode_axis_values(const SweepSpec& spec, std::uint64_t first, std::uint64_t count, double* out) {
  decode_on(cuda_device_api(), spec, first, count, out);
}

#endif

}  // namespace astra
