// Picks the backend for `--backend auto|cpu|cuda|thrust-omp`. `auto` takes the GPU when this
// build has the CUDA backend and a device answers, and otherwise falls back to `cpu`, saying why
// on stderr. Asking for a backend that is absent is an InputError (exit 2).
#pragma once

#include <memory>
#include <string>

#include "host/sweep/backends/device_evaluators.hpp"
#include "host/sweep/backends/batch_evaluator.hpp"

namespace astra {

bool have_thrust_omp_backend();
bool have_cuda_backend();

// `note` receives what auto chose and why (empty when nothing to say). `devices` (--devices)
// applies to cuda and thrust-omp; with cpu (or auto falling back to cpu) a selection of more
// than one device is an InputError.
std::unique_ptr<BatchEvaluator> select_backend(const std::string& name, const SweepSpec& spec, unsigned threads,
                                               std::string& note, const DeviceSelection& devices = {});

}  // namespace astra
