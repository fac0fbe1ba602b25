// Free-list pools of the aware simulation's messages (AwareMessage), registry items (AwareItem)
// and registry entries (AwareRegistryEntry), in the arrays of aware_scratch.hpp. A freed slot is
// pushed on its pool's free list (by the handler that retires it) and taken back first; a pool
// that runs out fails the point: it goes to the reference simulator, counted as BeyondScratch.
#pragma once

#include <cstdint>

#include "kernels/model/host_device.hpp"
#include "kernels/model/congestion_aware/aware_scratch.hpp"
#include "kernels/model/congestion_aware/aware_simulation_state.hpp"

namespace astra::aware {

// Pools with free lists; exhaustion fails the point (BeyondScratch).
ASTRA_HD inline std::int32_t AwareSimulation::new_message() {
  if (free_message_ >= 0) {
    const std::int32_t m = free_message_;
    free_message_ = s_.messages[m].next;
    return m;
  }
  if (next_message_ >= kAwareMaxMessages) return fail();
  return next_message_++;
}
ASTRA_HD inline std::int32_t AwareSimulation::new_item() {
  if (free_item_ >= 0) {
    const std::int32_t i = free_item_;
    free_item_ = s_.items[i].next;
    return i;
  }
  if (next_item_ >= kAwareMaxItems) return fail();
  return next_item_++;
}
ASTRA_HD inline std::int32_t AwareSimulation::new_entry() {
  if (free_entry_ >= 0) {
    const std::int32_t e = free_entry_;
    free_entry_ = s_.registry[e].next_active;
    return e;
  }
  if (next_entry_ >= kAwareMaxRegistry) return fail();
  return next_entry_++;
}
ASTRA_HD inline std::int32_t AwareSimulation::fail() {  // a pool is exhausted
  full_ = failed_ = true;
  return -1;
}

}  // namespace astra::aware
