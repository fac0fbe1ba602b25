#include "host/common/atomic_output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace astra {

AtomicOutputFile::AtomicOutputFile(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp-" + std::to_string(::getpid())) {
  std::remove(temp_path_.c_str());
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicOutputFile::commit() {
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot move " + temp_path_ + " to " + path_ + ": " + std::strerror(errno));
  committed_ = true;
}

}  // namespace astra
