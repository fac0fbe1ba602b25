// Report numbers a person reads: units by column suffix, significant digits, no exponents in
// the everyday range (host/nightly/readable_numbers.hpp).
#include <gtest/gtest.h>

#include "host/nightly/readable_numbers.hpp"

namespace astra {
namespace {

TEST(ReadableNumbers, PlainNumbersKeepSixDigitsWithoutExponents) {
  EXPECT_EQ(readable_number(234.00892754955416), "234.009");
  EXPECT_EQ(readable_number(100), "100");
  EXPECT_EQ(readable_number(936.25), "936.25");
  EXPECT_EQ(readable_number(0.125), "0.125");
  EXPECT_EQ(readable_number(123456789), "123456789");
  EXPECT_EQ(readable_number(0), "0");
  EXPECT_EQ(readable_number(-2.5), "-2.5");
  EXPECT_EQ(readable_number(1e-5), "1e-05");
}

TEST(ReadableNumbers, UnitsFollowTheColumnName) {
  EXPECT_EQ(readable_value("size_bytes", 1048576), "1 MiB");
  EXPECT_EQ(readable_value("size_bytes", 1536), "1.5 KiB");
  EXPECT_EQ(readable_value("size_bytes", 100), "100 B");
  EXPECT_EQ(readable_value("size_bytes", 4294967296.0), "4 GiB");
  EXPECT_EQ(readable_value("collective_time_ns", 942), "942 ns");
  EXPECT_EQ(readable_value("collective_time_ns", 11.6e6), "11.6 ms");
  EXPECT_EQ(readable_value("collective_time_ns", 84737124), "84.74 ms");
  EXPECT_EQ(readable_value("latency_ns[0]", 1500), "1.5 us");
  EXPECT_EQ(readable_value("busbw_GBps", 1347.668548), "1348 GB/s");
  EXPECT_EQ(readable_value("npus_count", 16), "16");
  EXPECT_EQ(quantity_name("collective_time_ns"), "collective time");
  EXPECT_EQ(quantity_name("latency_ns[1]"), "latency [1]");
  EXPECT_STREQ(time_unit_for(2.5e6).name, "ms");
}

}  // namespace
}  // namespace astra
