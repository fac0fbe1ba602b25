#include "host/cli/mpi_command.hpp"

#include <cstdio>

#include "host/input/input_error.hpp"
#include "host/nightly/mpi_session.hpp"
#include "host/sweep/backends/device_evaluators.hpp"

namespace astra::cli {

void run_with_optional_mpi(bool mpi, const std::string& backend, const std::string& devices, std::string& out,
                           const std::function<void(const MpiSession*)>& run) {
  if (!mpi) {
    run(nullptr);
    return;
  }
  if (parse_device_selection(devices).multiple())
    throw InputError("--devices", devices, "not available with --mpi (each rank takes its node-local GPU)");
  MpiSession session;
  if (backend == "cuda" || backend == "auto") pin_gpu_for_local_rank(session.local_rank());
  if (session.rank() != 0) {
    if (!std::freopen("/dev/null", "w", stdout))
      throw InputError("--mpi", "", "cannot silence the output of rank " + std::to_string(session.rank()));
    out.clear();
  }
  run(&session);
}

}  // namespace astra::cli
