// Error objectives on hand-computed values, and the holdout split.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "host/calibration/error_objective.hpp"
#include "host/calibration/holdout_split.hpp"
#include "host/input/input_error.hpp"

namespace astra::calibration {
namespace {

TEST(ErrorObjective, HandComputedValues) {
  const std::vector<double> meas = {100.0, 200.0, 50.0};
  const std::vector<double> pred = {110.0, 180.0, 50.0};
  // APE = 0.1, 0.1, 0 (floored to 1e-6 in the geometric mean)
  EXPECT_DOUBLE_EQ(absolute_percentage_error(110.0, 100.0), 0.1);
  EXPECT_NEAR(evaluate_objective(Objective::Mape, pred, meas), 0.2 / 3.0, 1e-15);
  EXPECT_NEAR(evaluate_objective(Objective::GeomeanApe, pred, meas), std::cbrt(0.1 * 0.1 * 1e-6), 1e-12);
  const double l1 = std::log(1.1), l2 = std::log(0.9);
  EXPECT_NEAR(evaluate_objective(Objective::RmsLog, pred, meas), std::sqrt((l1 * l1 + l2 * l2) / 3.0), 1e-15);
  const ErrorSummary s = summarise_errors(pred, meas);
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.max_ape, 0.1);
  EXPECT_EQ(s.max_ape_index, 0u);
}

TEST(ErrorObjective, GeomeanOfEqualErrorsIsThatError) {
  const std::vector<double> meas = {10.0, 20.0, 40.0, 80.0};
  const std::vector<double> pred = {12.0, 16.0, 48.0, 64.0};  // every APE is 20%
  EXPECT_NEAR(evaluate_objective(Objective::GeomeanApe, pred, meas), 0.2, 1e-12);
  EXPECT_NEAR(evaluate_objective(Objective::Mape, pred, meas), 0.2, 1e-12);
}

TEST(ErrorObjective, FailedPredictionIsWorseThanAnyReal) {
  for (Objective o : {Objective::GeomeanApe, Objective::Mape, Objective::RmsLog}) {
    EXPECT_GT(objective_term(o, std::nan(""), 1.0), objective_term(o, 1000.0, 1.0));
    EXPECT_GT(objective_term(o, 0.0, 1.0), objective_term(o, 1000.0, 1.0));
  }
}

TEST(ErrorObjective, Names) {
  EXPECT_EQ(parse_objective("geomean_ape"), Objective::GeomeanApe);
  EXPECT_EQ(parse_objective("rms_log"), Objective::RmsLog);
  EXPECT_FALSE(parse_objective("mse").has_value());
}

TEST(HoldoutSplit, EverySecondHoldsOutOddIndices) {
  const auto m = holdout_mask(parse_holdout("every-2nd"), 5);
  EXPECT_EQ(m, (std::vector<bool>{false, true, false, true, false}));
  const auto none = holdout_mask(parse_holdout("none"), 4);
  EXPECT_EQ(none, std::vector<bool>(4, false));
}

TEST(HoldoutSplit, RandomIsDeterministicAndSized) {
  const auto a = holdout_mask(parse_holdout("random:0.3:42"), 31);
  const auto b = holdout_mask(parse_holdout("random:0.3:42"), 31);
  const auto c = holdout_mask(parse_holdout("random:0.3:43"), 31);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::count(a.begin(), a.end(), true), 9);  // round(0.3 * 31)
  // The default seed is 1 and the split never holds out everything.
  EXPECT_EQ(holdout_mask(parse_holdout("random:0.5"), 10), holdout_mask(parse_holdout("random:0.5:1"), 10));
  const auto most = holdout_mask(parse_holdout("random:0.99"), 3);
  EXPECT_EQ(std::count(most.begin(), most.end(), false), 1);
}

TEST(HoldoutSplit, BadSpecs) {
  EXPECT_THROW(parse_holdout("random:1.5"), InputError);
  EXPECT_THROW(parse_holdout("random:x"), InputError);
  EXPECT_THROW(parse_holdout("random:0.2:-1"), InputError);
  EXPECT_THROW(parse_holdout("odd"), InputError);
}

}  // namespace
}  // namespace astra::calibration
