#include "host/plot/gnuplot_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace astra {

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t colon = dirs.find(':', start);
    if (colon == std::string_view::npos) colon = dirs.size();
    std::string candidate = std::string(dirs.substr(start, colon - start)) + "/gnuplot";
    if (colon > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = colon + 1;
  }
  return {};
}

std::string gnuplot_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else out += c;
  }
  return out + "'";
}

bool run_gnuplot_script(const std::string& script_path, const std::string& script, std::string& warning) {
  {
    std::ofstream out(script_path);
    out << script;
    if (!out) {
      warning = "cannot write " + script_path + "; plots skipped";
      return false;
    }
  }
  const std::string gnuplot = find_gnuplot();
  if (gnuplot.empty()) {
    warning = "gnuplot not found (install gnuplot-nox); plots skipped, script left in " + script_path;
    return false;
  }
  std::fflush(nullptr);  // the child must not inherit unflushed output
  const pid_t pid = ::fork();
  if (pid < 0) {
    warning = "cannot start gnuplot; plots skipped";
    return false;
  }
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    ::execl(gnuplot.c_str(), "gnuplot", script_path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    warning = "gnuplot failed on " + script_path + "; some plots may be missing";
    return false;
  }
  return true;
}

}  // namespace astra
