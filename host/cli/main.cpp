// astra-sweep: command-line entry. Each subcommand lives in its own host/cli/*_command.cpp.
#include <cstdio>

#include "host/cli/commands.hpp"

int main(int argc, char** argv) { return astra::cli::run_main(argc, argv); }
