// SIGINT / SIGTERM as a request to stop: the run finishes the batch in flight, records how far it
// got (an interrupted run that --resume continues) and exits 128 + the signal's number.
// A second signal of the same kind acts as usual (the handler is reset after the first).
#pragma once

#include <atomic>

namespace astra {

// Installs the handlers; the flag turns true when a signal arrives.
const std::atomic<bool>& install_stop_signals();
// The signal that asked to stop (0 when none).
int stop_signal_number();

}  // namespace astra
