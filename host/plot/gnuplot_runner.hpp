// Runs gnuplot (Debian gnuplot-nox) as a subprocess on a generated script. Plots are optional:
// when gnuplot is not installed the caller gets false and a warning to print, never an error.
#pragma once

#include <string>

namespace astra {

// Path of the gnuplot executable found on PATH, or empty.
std::string find_gnuplot();

// Writes `script` to script_path and runs gnuplot on it. Returns false and sets `warning`
// when gnuplot is missing or fails.
bool run_gnuplot_script(const std::string& script_path, const std::string& script, std::string& warning);

// A string literal for a gnuplot script (single quotes, quotes escaped).
std::string gnuplot_quote(const std::string& s);

}  // namespace astra
