// astra-sweep's version and the git commit it was built from (for --version and run records).
// Defined in one source file so that a new commit recompiles only that file.
#pragma once

namespace astra {

const char* astra_version();
const char* astra_git_commit();

}  // namespace astra
