// An output file that appears complete or not at all: written to "<path>.tmp-<pid>" in the same
// folder and renamed onto <path> by commit(). Destroyed uncommitted, it removes the temporary.
#pragma once

#include <string>

namespace astra {

class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(std::string path);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  // Moves the temporary onto path(); throws std::runtime_error when that fails.
  void commit();

 private:
  std::string path_, temp_path_;
  bool committed_ = false;
};

}  // namespace astra
