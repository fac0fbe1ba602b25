// The result table of a sensitivity study, one row per parameter, as CSV and as the data a
// chart draws:
//   oat:    parameter,base_value,minus_value,plus_value,metric_minus,metric_base,metric_plus,elasticity
//   morris: parameter,mu,mu_star,sigma,mu_star_standard_error     (unit coordinates, metric units)
//   sobol:  parameter,S1,S1_low,S1_high,ST,ST_low,ST_high           (bootstrap confidence interval)
#pragma once

#include <string>
#include <vector>

namespace astra::sensitivity {

struct SensitivityTable {
  std::string method;                    // oat | morris | sobol
  std::vector<std::string> columns;      // after "parameter"
  std::vector<std::string> parameters;
  std::vector<std::vector<double>> rows; // one per parameter, one value per column
  std::string headline_column;           // the column a chart ranks by (elasticity, mu_star, ST)
};

std::string table_csv_text(const SensitivityTable& t);
std::string table_text(const SensitivityTable& t);  // aligned, for the terminal

// A tornado (OAT) or bar chart (Morris mu* with sigma, Sobol S1/ST with intervals) as PNG,
// from `csv_path`. Returns false and sets warning when gnuplot is missing or fails.
bool draw_sensitivity_chart(const SensitivityTable& t, const std::string& dir, const std::string& csv_path,
                            const std::string& metric, std::string& warning);

}  // namespace astra::sensitivity
