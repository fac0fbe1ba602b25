// `--mpi` for the commands whose ranks all compute the same answer from shared work (calibrate,
// sensitivity): the MPI session, each rank pinned to its node-local GPU, and the output of every
// rank but 0 silenced. (`run --mpi` shards rows instead: host/nightly/nightly_run.cpp.)
#pragma once

#include <functional>
#include <string>

namespace astra {
class MpiSession;
}

namespace astra::cli {

// Without `mpi`: run(nullptr). With it: checks that `devices` selects at most one device, starts
// the session, pins the GPU (backend cuda or auto), silences stdout and clears `out` on ranks
// other than 0, then run(&session).
void run_with_optional_mpi(bool mpi, const std::string& backend, const std::string& devices, std::string& out,
                           const std::function<void(const MpiSession*)>& run);

}  // namespace astra::cli
