#include "host/calibration/calibration_plots.hpp"

#include <cstdio>

#include "host/plot/gnuplot_runner.hpp"

namespace astra::calibration {

std::string heatmap_data_text(const ObjectiveHeatmap& map) {
  std::string out = "# latency_ns bandwidth_GBps objective\n";
  char buf[128];
  for (int b = 0; b < map.bandwidth_steps; ++b) {
    for (int l = 0; l < map.latency_steps; ++l) {
      const auto& c = map.cells[static_cast<std::size_t>(b) * map.latency_steps + l];
      std::snprintf(buf, sizeof buf, "%.6g %.6g %.6g\n", c.latency_ns, c.bandwidth_GBps, c.objective);
      out += buf;
    }
    out += "\n";  // gnuplot's pm3d wants a blank line between scan lines
  }
  return out;
}

bool draw_calibration_plots(const std::string& dir, const std::string& title, const std::string& objective_label,
                            double fitted_latency_ns, double fitted_bandwidth_GBps, std::string& warning) {
  const std::string csv = gnuplot_quote(dir + "/calibration.csv");
  char mark[160];
  std::snprintf(mark, sizeof mark, "%.6g %.6g", fitted_latency_ns, fitted_bandwidth_GBps);
  std::string s;
  s += "set terminal pngcairo size 1000,650 noenhanced\n";
  s += "set datafile separator ','\n";
  s += "set key top left\nset grid\n";
  s += "set output " + gnuplot_quote(dir + "/time_vs_size.png") + "\n";
  s += "set title " + gnuplot_quote(title + ": measured vs predicted time") + "\n";
  s += "set logscale xy\nset xlabel 'size (bytes)'\nset ylabel 'time (us)'\n";
  s += "plot " + csv + " using 1:2 skip 1 with linespoints pt 7 title 'measured', \\\n";
  s += "     " + csv + " using 1:(strcol(5) eq 'fit' ? $3 : 1/0) skip 1 with points pt 6 ps 1.5 title 'predicted (fit sizes)', \\\n";
  s += "     " + csv + " using 1:(strcol(5) eq 'holdout' ? $3 : 1/0) skip 1 with points pt 4 ps 1.5 title 'predicted (held-out sizes)'\n";
  s += "set output " + gnuplot_quote(dir + "/error_vs_size.png") + "\n";
  s += "set title " + gnuplot_quote(title + ": absolute percentage error per size") + "\n";
  s += "unset logscale y\nset ylabel 'APE (%)'\n";
  s += "plot " + csv + " using 1:(strcol(5) eq 'fit' ? 100*$4 : 1/0) skip 1 with impulses lw 3 title 'fit sizes', \\\n";
  s += "     " + csv + " using 1:(strcol(5) eq 'holdout' ? 100*$4 : 1/0) skip 1 with points pt 5 title 'held-out sizes'\n";
  s += "set output " + gnuplot_quote(dir + "/objective_heatmap.png") + "\n";
  s += "set datafile separator whitespace\n";
  s += "set title " + gnuplot_quote(title + ": " + objective_label + " over latency x bandwidth (log colour)") + "\n";
  s += "set logscale xy\nset logscale cb\nset xlabel 'latency (ns)'\nset ylabel 'bandwidth (GB/s)'\n";
  s += "set autoscale xfix\nset autoscale yfix\nset key outside top right\n";
  s += "set view map\nset pm3d map\nset palette rgbformulae 33,13,10\n";
  s += "splot " + gnuplot_quote(dir + "/heatmap.dat") + " using 1:2:3 with pm3d notitle, \\\n";
  s += "      '-' using 1:2:(0) with points pt 2 ps 3 lc rgb 'white' title 'fit'\n";
  s += std::string(mark) + "\ne\n";
  return run_gnuplot_script(dir + "/plots.gp", s, warning);
}

}  // namespace astra::calibration
