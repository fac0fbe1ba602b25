// Test helper: runs a reader that must fail and returns its InputError, recording a test
// failure if it threw something else or nothing at all.
#pragma once

#include <exception>
#include <string>

#include <gtest/gtest.h>

#include "host/input/input_error.hpp"

namespace astra::testing {

template <class Fn>
InputError capture_input_error(Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << "the message must be one line: " << what;
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected astra::InputError, got another exception: " << e.what();
    return InputError("", "", "");
  }
  ADD_FAILURE() << "expected astra::InputError, but the input was accepted";
  return InputError("", "", "");
}

}  // namespace astra::testing
