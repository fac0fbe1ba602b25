#include "host/build_info.hpp"

namespace astra {

const char* astra_version() { return ASTRA_VERSION; }
const char* astra_git_commit() { return ASTRA_GIT_COMMIT; }

}  // namespace astra
