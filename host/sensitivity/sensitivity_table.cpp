#include "host/sensitivity/sensitivity_table.hpp"

#include <cstdio>

#include "host/plot/gnuplot_runner.hpp"

namespace astra::sensitivity {

std::string table_csv_text(const SensitivityTable& t) {
  std::string out = "parameter";
  for (const auto& c : t.columns) out += "," + c;
  out += "\n";
  char buf[64];
  for (std::size_t i = 0; i < t.parameters.size(); ++i) {
    out += t.parameters[i];
    for (double v : t.rows[i]) {
      std::snprintf(buf, sizeof buf, ",%.8g", v);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

std::string table_text(const SensitivityTable& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-28s", "parameter");
  std::string out = buf;
  for (const auto& c : t.columns) {
    std::snprintf(buf, sizeof buf, " %15s", c.c_str());
    out += buf;
  }
  out += "\n";
  for (std::size_t i = 0; i < t.parameters.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%-28s", t.parameters[i].c_str());
    out += buf;
    for (double v : t.rows[i]) {
      std::snprintf(buf, sizeof buf, " %15.6g", v);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

bool draw_sensitivity_chart(const SensitivityTable& t, const std::string& dir, const std::string& csv_path,
                            const std::string& metric, std::string& warning) {
  const std::string csv = gnuplot_quote(csv_path);
  std::string s = "set terminal pngcairo size 1000,600 noenhanced\nset datafile separator ','\n";
  s += "set output " + gnuplot_quote(dir + "/sensitivity_" + t.method + ".png") + "\n";
  s += "set grid ytics\nset key top right\nset style fill solid 0.8 border -1\n";
  if (t.method == "oat") {
    // Tornado: one horizontal bar per parameter from metric_minus to metric_plus around the base.
    s += "set title " + gnuplot_quote("one-at-a-time: " + metric + " at -/+ step (elasticity in labels)") + "\n";
    s += "set key outside bottom center horizontal\nset ytics noenhanced\nset xlabel " + gnuplot_quote(metric) + "\n";
    s += "plot " + csv + " using (($5+$7)/2):($0):(($7>$5?$7-$5:$5-$7)/2):(0.35):yticlabel(sprintf('%s  E=%.3g', strcol(1), $8)) "
         "skip 1 with boxxyerror title 'metric range', \\\n";
    s += "     " + csv + " using 6:($0) skip 1 with points pt 7 lc rgb 'black' title 'base'\n";
  } else if (t.method == "morris") {
    s += "set title " + gnuplot_quote("Morris screening of " + metric + ": mu* and sigma") + "\n";
    s += "set style data histogram\nset style histogram clustered gap 1\nset xtics rotate by -30\n";
    s += "plot " + csv + " using 3:xtic(1) skip 1 title 'mu*', '' using 4 skip 1 title 'sigma'\n";
  } else {
    s += "set title " + gnuplot_quote("Sobol indices of " + metric + " (bootstrap intervals)") + "\n";
    s += "set style data histogram\nset style histogram errorbars gap 1 lw 1\nset xtics rotate by -30\nset yrange [*:*]\n";
    s += "plot " + csv + " using 2:3:4:xtic(1) skip 1 title 'first order S1', '' using 5:6:7 skip 1 title 'total ST'\n";
  }
  return run_gnuplot_script(dir + "/sensitivity_" + t.method + ".gp", s, warning);
}

}  // namespace astra::sensitivity
