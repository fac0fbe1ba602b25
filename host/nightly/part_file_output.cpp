#include "host/nightly/part_file_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "host/input/input_error.hpp"
#include "host/common/atomic_output_file.hpp"

namespace astra {
namespace fs = std::filesystem;
namespace {

std::string extension_of(const std::string& path) {
  for (const char* e : {".csv", ".jsonl", ".ndjson"}) {
    const std::string ext(e);
    if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0) return ext;
  }
  throw InputError("--out", path, "a resumable text output must end in .csv, .jsonl or .ndjson");
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// part-<first>-<end><ext> -> (first, end), in point order.
std::map<std::uint64_t, std::uint64_t> list_parts(const std::string& dir, const std::string& ext,
                                                 std::vector<fs::path>* others) {
  std::map<std::uint64_t, std::uint64_t> parts;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    unsigned long long first = 0, end = 0;
    int used = 0;
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0 &&
        std::sscanf(name.c_str(), "part-%llu-%llu%n", &first, &end, &used) == 2 &&
        static_cast<std::size_t>(used) == name.size() - ext.size() && end > first) {
      parts.emplace(first, end);
    } else if (name != "run.txt" && others) {
      others->push_back(entry.path());
    }
  }
  return parts;
}

std::string part_name(const std::string& dir, std::uint64_t first, std::uint64_t end, const std::string& ext) {
  return fmt::format("{}/part-{:020}-{:020}{}", dir, first, end, ext);
}

// The length of a CSV part's header line (with its newline; the whole file when it has none).
std::uint64_t header_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  return line.size() + (in.eof() ? 0 : 1);
}

// Appends the bytes of `path` from byte `from` on to the file open as `fd`, copied inside the
// kernel (copy_file_range: no trip through this process' memory), by read/write where the
// file system cannot.
bool append_file(int fd, const std::string& path, std::uint64_t from) {
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return false;
  struct stat st {};
  bool ok = ::fstat(in, &st) == 0;
  off_t at = static_cast<off_t>(from);
  while (ok && at < st.st_size) {
    const ssize_t n = ::copy_file_range(in, &at, fd, nullptr, static_cast<std::size_t>(st.st_size - at), 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL)) {
      ok = false;
      break;
    }
    std::vector<char> buffer(1 << 20);  // no in-kernel copy here: plain reads and writes
    while (ok && at < st.st_size) {
      const ssize_t r = ::pread(in, buffer.data(), buffer.size(), at);
      ok = r > 0;
      for (ssize_t done = 0; ok && done < r;) {
        const ssize_t w = ::write(fd, buffer.data() + done, static_cast<std::size_t>(r - done));
        ok = w > 0 || (w < 0 && errno == EINTR);
        if (w > 0) done += w;
      }
      if (ok) at += r;
    }
  }
  return ::close(in) == 0 && ok;
}

}  // namespace

bool fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

PartFileOutput::PartFileOutput(std::string path, std::vector<Column> columns, const RunRecord& run, bool resume,
                               double checkpoint_seconds, std::string& note)
    : path_(std::move(path)), dir_(parts_dir(path_)), ext_(extension_of(path_)), columns_(std::move(columns)),
      end_point_(run.end_point), part_first_(run.first_point), next_point_(run.first_point),
      checkpoint_seconds_(checkpoint_seconds), last_close_(std::chrono::steady_clock::now()) {
  note.clear();
  const std::string key = run.resume_key();
  // A temporary of the final file left by a run killed while it concatenated the parts.
  const fs::path out_path(path_);
  const fs::path out_dir = out_path.parent_path().empty() ? fs::path(".") : out_path.parent_path();
  const std::string stale_prefix = out_path.filename().string() + ".tmp-";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_dir, ec))
    if (entry.path().filename().string().rfind(stale_prefix, 0) == 0) fs::remove(entry.path(), ec);
  if (fs::exists(dir_) && !fs::exists(fs::path(dir_) / "run.txt")) {
    fs::remove_all(dir_);  // killed before run.txt (written by rename) appeared: nothing was done
  }
  if (fs::exists(dir_) && !resume) {
    fs::remove_all(dir_);
    note = "discarded the unfinished run in " + dir_ + " (--resume continues it)";
  }
  if (fs::exists(dir_)) {
    const std::string old_key = slurp(fs::path(dir_) / "run.txt");
    if (old_key != key + "\n")
      throw InputError("--resume", dir_,
                       "holds an unfinished run of another spec, point range or columns; remove it or run without "
                       "--resume");
    std::vector<fs::path> stale;
    const auto parts = list_parts(dir_, ext_, &stale);
    for (auto it = parts.find(run.first_point); it != parts.end() && it->first == next_point_;
         it = parts.find(next_point_))
      next_point_ = it->second;
    for (const auto& [first, end] : parts)
      if (first >= next_point_ || end > next_point_) stale.push_back(part_name(dir_, first, end, ext_));
    for (const fs::path& p : stale) fs::remove_all(p);  // half-written parts of the killed run
    part_first_ = next_point_;
    note = fmt::format("resuming {}: {} of {} points already done", path_, next_point_ - run.first_point,
                       run.end_point - run.first_point);
    return;
  }
  if (resume) note = "nothing to resume for " + path_ + "; starting the run";
  fs::create_directories(dir_);
  AtomicOutputFile key_file(dir_ + "/run.txt");
  {
    std::ofstream out(key_file.temp_path(), std::ios::binary);
    out << key << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + key_file.temp_path());
  }
  fsync_path(key_file.temp_path());
  key_file.commit();
  fsync_path(dir_);
}

PartFileOutput::~PartFileOutput() = default;

void PartFileOutput::open_part() { part_ = open_result_writer(dir_ + "/open" + ext_, columns_); }

void PartFileOutput::write_row(const std::vector<Cell>& cells) {
  if (!part_) open_part();
  part_->write_row(cells);
}

void PartFileOutput::write_rows(const RowSource& rows) {
  if (!part_) open_part();
  part_->write_rows(rows);
}

void PartFileOutput::close_part(std::uint64_t end) {
  if (end <= part_first_ && !part_) return;
  if (!part_) open_part();  // no rows (all filtered): an empty part still records the progress
  part_->commit();
  part_.reset();
  const std::string open_path = dir_ + "/open" + ext_;
  const std::string final_path = part_name(dir_, part_first_, end, ext_);
  if (!fsync_path(open_path)) throw std::runtime_error("cannot fsync " + open_path);
  if (std::rename(open_path.c_str(), final_path.c_str()) != 0)
    throw std::runtime_error("cannot rename " + open_path + ": " + std::strerror(errno));
  fsync_path(dir_);
  part_first_ = end;
  last_close_ = std::chrono::steady_clock::now();
}

void PartFileOutput::checkpoint(std::uint64_t next_point) {
  next_point_ = next_point;
  const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_close_).count();
  if (since >= checkpoint_seconds_) close_part(next_point);
}

void PartFileOutput::mark_interrupted() {
  if (part_ || next_point_ > part_first_) close_part(next_point_);
}

void PartFileOutput::commit() {
  close_part(end_point_);
  const auto parts = list_parts(dir_, ext_, nullptr);
  if (parts.empty()) {  // an empty range: the header alone
    open_result_writer(path_, columns_)->commit();
    fs::remove_all(dir_);
    return;
  }
  AtomicOutputFile out(path_);
  const int fd = ::open(out.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error("cannot write " + out.temp_path() + ": " + std::strerror(errno));
  bool first_part = true, ok = true;
  for (const auto& [first, end] : parts) {
    const std::string part = part_name(dir_, first, end, ext_);
    std::uint64_t from = 0;
    if (ext_ == ".csv" && !first_part) from = header_bytes(part);  // one header: the first part's
    first_part = false;
    ok = ok && append_file(fd, part, from);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + out.temp_path() + ": " + std::strerror(errno));
  out.commit();
  fsync_path(fs::path(path_).parent_path().empty() ? "." : fs::path(path_).parent_path().string());
  fs::remove_all(dir_);
}

}  // namespace astra
