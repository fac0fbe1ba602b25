#include "host/sweep/output/columnar_output.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc, _GNU_SOURCE)
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host/input/input_error.hpp"
#include "host/sweep/output/run_record.hpp"
#include "host/common/atomic_output_file.hpp"

namespace astra {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kHeaderBytes = 128;  // the .npy header, rewritten with the row count on commit
// write_rows' chunks: 64 KiB per 8-byte column, a chunk's columns small enough to stay in cache
// between being filled and being written (8192 rows took less CPU than 4096, 16384 or 32768 here)
constexpr std::uint64_t kChunkRows = 8192;
constexpr std::uint64_t kFillRows = 4096;  // rows per fill_columns call within a chunk
constexpr std::uint64_t kPageBytes = 4096;
constexpr std::size_t kStageBytes = 256 * 1024;  // text columns are written in pieces of at least this
constexpr std::uint64_t kNullUInt = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t kNullInt = std::numeric_limits<std::int64_t>::min();
constexpr std::int32_t kNullCode = -1;

std::string strip_slash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text_atomically(const std::string& path, const std::string& text, bool durable = true) {
  AtomicOutputFile file(path);
  std::FILE* f = std::fopen(file.temp_path().c_str(), "wb");
  bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = f && std::fflush(f) == 0 && ok && (!durable || ::fsync(fileno(f)) == 0);
  if (f) ok = std::fclose(f) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + file.temp_path() + ": " + std::strerror(errno));
  file.commit();
}

// Removes a folder of files (a replaced output) with its files unlinked from two threads: the
// kernel frees each file's page cache as it unlinks it (a millisecond per 10 MB here), and the
// files are independent. Errors are ignored, as by remove_all with an error code.
void remove_folder(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) files.push_back(entry.path());
  auto remove_every_other = [&files](std::size_t first) {
    for (std::size_t k = first; k < files.size(); k += 2) {
      std::error_code e;
      fs::remove_all(files[k], e);
    }
  };
  std::thread helper;
  try {
    if (files.size() > 1) helper = std::thread(remove_every_other, 1);
  } catch (const std::system_error&) {  // no thread to be had: all of them here
  }
  remove_every_other(0);
  if (helper.joinable()) helper.join();
  else remove_every_other(1);
  fs::remove_all(dir, ec);
}

const char* numpy_descr(CellType t) {
  switch (t) {
    case CellType::UInt: return "<u8";
    case CellType::Int: return "<i8";
    case CellType::Real: return "<f8";
    default: return "<i4";
  }
}

const char* dtype_name(CellType t) {
  switch (t) {
    case CellType::UInt: return "uint64";
    case CellType::Int: return "int64";
    case CellType::Real: return "float64";
    default: return "int32";
  }
}

std::size_t item_bytes(CellType t) { return t == CellType::Text || t == CellType::Null ? 4 : 8; }

// The unit a column's name carries (latency_ns[0] -> ns), null when it has none.
nlohmann::json unit_of(const std::string& name) {
  std::string base = name.substr(0, name.find('['));
  const std::size_t us = base.rfind('_');
  const std::string suffix = us == std::string::npos ? "" : base.substr(us + 1);
  if (suffix == "ns") return "ns";
  if (suffix == "bytes") return "bytes";
  if (suffix == "GBps") return "GB/s (1e9 bytes/s)";
  if (suffix == "count") return "count";
  return nullptr;
}

std::string npy_header(CellType t, std::uint64_t rows) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({},), }}", numpy_descr(t), rows);
  std::string h("\x93NUMPY\x01\x00", 8);
  const std::size_t len = kHeaderBytes - 10;
  h.push_back(static_cast<char>(len & 0xff));
  h.push_back(static_cast<char>(len >> 8));
  dict.resize(len - 1, ' ');
  return h + dict + "\n";
}

// A text column's dictionary: codes in order of first appearance.
struct Dictionary {
  std::vector<std::string> texts;
  std::unordered_map<std::string, std::int32_t> codes;
  std::int32_t code(std::string_view text) {
    auto it = codes.find(std::string(text));
    if (it != codes.end()) return it->second;
    const auto c = static_cast<std::int32_t>(texts.size());
    texts.emplace_back(text);
    codes.emplace(texts.back(), c);
    return c;
  }
};

// One chunk of rows converted to column arrays (text as chunk-local codes): either from the
// source's fast path (block.texts holds the codes' texts) or from cells (local dictionaries).
struct ColumnChunk {
  ColumnBlock block;
  std::vector<Dictionary> local;  // per column, when built from cells
  bool from_block = false;
};

class ColumnarOutput final : public ResultWriter {
 public:
  ColumnarOutput(const std::string& path, const std::vector<Column>& columns, const RunRecord* run, bool resume,
                 double checkpoint_seconds, std::uint64_t* resume_point, std::string* note)
      : path_(strip_slash(path)), work_(path_ + ".partial"), columns_(columns), resumable_(run != nullptr),
        checkpoint_seconds_(checkpoint_seconds), last_checkpoint_(std::chrono::steady_clock::now()) {
    name_files();
    dictionaries_.resize(columns_.size());
    stages_.resize(columns_.size());
    const std::string key = run ? run->resume_key() + "\n" : std::string();
    if (run) next_point_ = run->first_point;
    if (note) note->clear();
    const bool leftover = fs::exists(work_);
    if (leftover && (!run || !fs::exists(fs::path(work_) / "run.txt"))) {
      fs::remove_all(work_);  // not resumable, or killed before it was set up
    } else if (leftover && !resume) {
      fs::remove_all(work_);
      if (note) *note = "discarded the unfinished run in " + work_ + " (--resume continues it)";
    } else if (leftover) {
      if (read_text(fs::path(work_) / "run.txt") != key)
        throw InputError("--resume", work_,
                         "holds an unfinished run of another spec, point range or columns; remove it or run without "
                         "--resume");
      reopen_at_checkpoint();
      if (note)
        *note = fmt::format("resuming {}: {} of {} points already done", path_, next_point_ - run->first_point,
                            run->end_point - run->first_point);
      if (resume_point) *resume_point = next_point_;
      return;
    }
    if (run && resume && note) *note = "nothing to resume for " + path_ + "; starting the run";
    fs::create_directories(work_);
    files_.resize(columns_.size(), -1);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      files_[c] = ::open(file_path(c).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (files_[c] < 0) throw std::runtime_error("cannot write " + file_path(c) + ": " + std::strerror(errno));
      const std::string header = npy_header(columns_[c].type, 0);
      write_at(c, header.data(), header.size(), 0);
    }
    if (run) {  // the headers on disk before the checkpoint that counts on them
      for (std::size_t c = 0; c < columns_.size(); ++c)
        if (::fsync(files_[c]) != 0)
          throw std::runtime_error("cannot write " + file_path(c) + ": " + std::strerror(errno));
      write_progress();
      write_text_atomically(work_ + "/run.txt", key);
      sync_path(work_);
    }
    if (resume_point) *resume_point = next_point_;
  }

  ~ColumnarOutput() override {
    close_files();
    if (!committed_ && !resumable_) {
      std::error_code ec;
      fs::remove_all(work_, ec);
    }
  }

  void write_row(const std::vector<Cell>& cells) override {
    ColumnChunk& chunk = single_;
    start_chunk(chunk, 1);
    add_row(chunk, cells);
    append_chunk(chunk);
  }

  // Chunks are filled on every core; each worker writes its chunk's number columns straight into
  // place (a column's row r lies at a known offset), and only the text columns, whose codes
  // depend on the texts seen before, are written by the calling thread in row order. A chunk's
  // 8-byte columns end where the file offset is a multiple of kChunkRows * 8 bytes (a batch's
  // first chunk is cut short to get there): each is one aligned pwrite, which the page cache
  // takes in folios of that size (pieces starting at the header's 128-byte offset fell into
  // single pages, and cost this box about twice the kernel time to write and to remove). A
  // worker fills its chunk kFillRows at a time, so that a piece's results stay in cache across
  // fill_columns' passes over the columns.
  void write_rows(const RowSource& rows) override {
    if (rows.size() == 0) return;
    const unsigned threads = rows.threads();
    if (wave_.size() < 2u * threads) wave_.resize(2u * threads);
    std::vector<RowScratch> scratch(threads);
    const std::uint64_t base = rows_;
    // Chunks cut the rows shifted by `lead`: chunk boundaries fall on the rows g (of the whole
    // output) where kHeaderBytes + 8 g is a multiple of 8 kChunkRows.
    const std::uint64_t lead = (base + kHeaderBytes / 8) % kChunkRows;
    ordered_parallel_chunks(
        rows.size() + lead, kChunkRows, threads, wave_.size(),
        [&](unsigned w, std::size_t slot, std::uint64_t shifted_begin, std::uint64_t shifted_end) {
          const std::uint64_t begin = std::max(shifted_begin, lead) - lead, end = shifted_end - lead;
          ColumnChunk& chunk = wave_[slot];
          reserve_chunk(chunk);
          chunk.from_block = true;
          for (std::uint64_t at = begin; at < end && chunk.from_block; at += kFillRows)
            chunk.from_block = rows.fill_columns(at, std::min(end, at + kFillRows), chunk.block, at - begin);
          if (!chunk.from_block) {
            start_chunk(chunk, end - begin);
            for (std::uint64_t k = begin; k < end; ++k) add_row(chunk, rows.row(k, scratch[w]));
          }
          // Each worker starts at another column: writes to one file take its inode's lock, so
          // workers walking the files in the same order would wait on each other.
          const std::size_t ncol = columns_.size();
          for (std::size_t j = 0; j < ncol; ++j) {
            const std::size_t c = (j + w * ncol / threads) % ncol;
            if (item_bytes(columns_[c].type) == 8) write_rows_at(c, chunk.block.data[c], base + begin);
          }
        },
        [&](std::size_t slot) { append_chunk(wave_[slot], /*numbers_written=*/true); });
  }

  void checkpoint(std::uint64_t next_point) override {
    next_point_ = next_point;
    if (!resumable_) return;
    const double since =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_).count();
    if (since >= checkpoint_seconds_) save_checkpoint();
  }

  void mark_interrupted() override {
    if (resumable_) save_checkpoint();
  }

  void commit() override {
    flush_text();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::string header = npy_header(columns_[c].type, rows_);
      write_at(c, header.data(), header.size(), 0);
      if (resumable_ && ::fsync(files_[c]) != 0)  // durable like the part files; plain like CSV
        throw std::runtime_error("cannot finish " + file_path(c) + ": " + std::strerror(errno));
    }
    close_files();
    write_text_atomically(work_ + "/schema.json", schema().dump(1) + "\n", resumable_);
    std::error_code ec;
    fs::remove(fs::path(work_) / "progress.json", ec);
    fs::remove(fs::path(work_) / "run.txt", ec);
    if (resumable_) sync_path(work_);  // durable like the part files; the plain writer, like CSV's, is not
    remove_temporaries();
    // Replace an older output in one step (the two folders swap names), then remove it: a
    // reader sees the old folder or the new one, never neither.
    if (fs::exists(path_)) {
      if (::renameat2(AT_FDCWD, work_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) != 0)
        throw std::runtime_error("cannot move " + work_ + " onto " + path_ + ": " + std::strerror(errno));
      remove_folder(work_);  // the old output now
    } else {
      fs::rename(work_, path_);
    }
    const fs::path parent = fs::path(path_).parent_path();
    if (resumable_) sync_path(parent.empty() ? "." : parent.string());
    committed_ = true;
  }

 private:
  void name_files() {
    std::vector<std::string> used;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::string f;
      for (char ch : columns_[c].name) f.push_back(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ? ch : '_');
      while (!f.empty() && f.back() == '_' && columns_[c].name.back() == ']') f.pop_back();  // latency_ns[0] -> latency_ns_0
      if (std::find(used.begin(), used.end(), f) != used.end()) f += fmt::format("_{}", c);
      used.push_back(f);
      file_names_.push_back(f + ".npy");
    }
  }
  std::string file_path(std::size_t c) const { return work_ + "/" + file_names_[c]; }

  // n bytes at byte `offset` of column c's file (from any thread).
  void write_at(std::size_t c, const void* data, std::size_t n, std::uint64_t offset) const {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::pwrite(files_[c], p, n, static_cast<off_t>(offset));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) throw std::runtime_error("cannot write " + file_path(c) + ": " + std::strerror(w < 0 ? errno : ENOSPC));
      p += w;
      n -= static_cast<std::size_t>(w);
      offset += static_cast<std::uint64_t>(w);
    }
  }
  // Column c's values of rows [first_row, ...) into place.
  void write_rows_at(std::size_t c, const ColumnBytes& data, std::uint64_t first_row) const {
    write_at(c, data.data(), data.size(), kHeaderBytes + first_row * item_bytes(columns_[c].type));
  }

  // Room for a whole chunk in every column, so that filling it piece by piece never moves it.
  void reserve_chunk(ColumnChunk& chunk) const {
    chunk.block.data.resize(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) chunk.block.data[c].reserve(kChunkRows * item_bytes(columns_[c].type));
  }

  void start_chunk(ColumnChunk& chunk, std::uint64_t rows) const {
    chunk.from_block = false;
    chunk.block.data.resize(columns_.size());
    chunk.local.resize(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      chunk.block.data[c].clear();
      chunk.block.data[c].reserve(rows * item_bytes(columns_[c].type));
      chunk.local[c].texts.clear();
      chunk.local[c].codes.clear();
    }
  }

  void add_row(ColumnChunk& chunk, const std::vector<Cell>& cells) const {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const Cell& cell = cells[c];
      ColumnBytes& out = chunk.block.data[c];
      auto put = [&out](const auto& v) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(&v);
        out.insert(out.end(), bytes, bytes + sizeof v);
      };
      switch (columns_[c].type) {
        case CellType::UInt: put(cell.type == CellType::UInt ? cell.u : kNullUInt); break;
        case CellType::Int: put(cell.type == CellType::Int ? cell.i : kNullInt); break;
        case CellType::Real: put(cell.type == CellType::Real ? cell.r : std::numeric_limits<double>::quiet_NaN()); break;
        default: {
          std::int32_t code = kNullCode;
          if (cell.type == CellType::Text) {
            Dictionary& d = chunk.local[c];
            // Most rows repeat the last text (status "ok", evaluated_by "fast"): check it first.
            code = !d.texts.empty() && d.texts.back() == cell.text ? static_cast<std::int32_t>(d.texts.size() - 1)
                                                                   : d.code(cell.text);
          }
          put(code);
        }
      }
    }
  }

  // Text columns are written from a staging buffer in pieces of at least kStageBytes that end on
  // a page boundary of the file (large aligned writes, as the number columns' chunks);
  // flush_text() writes what is left (before a checkpoint's fsync and on commit).
  void stage_text(std::size_t c, const ColumnBytes& data, std::uint64_t first_row) {
    TextStage& s = stages_[c];
    if (s.bytes.empty()) s.offset = kHeaderBytes + first_row * 4;
    const std::size_t held = s.bytes.size();
    if (s.bytes.capacity() < held + data.size()) s.bytes.reserve(std::max(held + data.size(), kStageBytes + kPageBytes));
    s.bytes.resize(held + data.size());
    std::memcpy(s.bytes.data() + held, data.data(), data.size());
    if (s.bytes.size() < kStageBytes) return;
    const std::uint64_t cut = (s.offset + s.bytes.size()) / kPageBytes * kPageBytes;
    write_at(c, s.bytes.data(), cut - s.offset, s.offset);
    s.bytes.erase(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(cut - s.offset));
    s.offset = cut;
  }
  void flush_text() {
    for (std::size_t c = 0; c < stages_.size(); ++c) {
      TextStage& s = stages_[c];
      if (!s.bytes.empty()) write_at(c, s.bytes.data(), s.bytes.size(), s.offset);
      s.bytes.clear();
    }
  }

  // Appends a chunk in order (its number columns too unless numbers_written); text codes become
  // the output's codes.
  void append_chunk(ColumnChunk& chunk, bool numbers_written = false) {
    std::uint64_t rows = 0;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      ColumnBytes& data = chunk.block.data[c];
      rows = data.size() / item_bytes(columns_[c].type);
      if (item_bytes(columns_[c].type) == 8) {
        if (!numbers_written) write_rows_at(c, data, rows_);
        continue;
      }
      std::vector<std::int32_t> remap;
      for (const std::string& t : chunk.from_block ? chunk.block.texts[c] : chunk.local[c].texts)
        remap.push_back(dictionaries_[c].code(t));
      bool identity = true;
      for (std::size_t k = 0; k < remap.size(); ++k) identity = identity && remap[k] == static_cast<std::int32_t>(k);
      if (identity) {
        stage_text(c, data, rows_);
        continue;
      }
      for (std::size_t at = 0; at < data.size(); at += 4) {
        std::int32_t code;
        std::memcpy(&code, data.data() + at, 4);
        if (code != kNullCode) code = remap[static_cast<std::size_t>(code)];
        std::memcpy(data.data() + at, &code, 4);
      }
      stage_text(c, data, rows_);
    }
    rows_ += rows;
  }

  nlohmann::json schema() const {
    nlohmann::json cols = nlohmann::json::array();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const Column& col = columns_[c];
      nlohmann::json j{{"name", col.name}, {"file", file_names_[c]}, {"dtype", dtype_name(col.type)},
                       {"unit", unit_of(col.name)}};
      switch (col.type) {
        case CellType::UInt: j["missing"] = kNullUInt; break;
        case CellType::Int: j["missing"] = kNullInt; break;
        case CellType::Real: j["missing"] = "NaN"; break;
        default:
          j["missing"] = kNullCode;
          j["categories"] = dictionaries_[c].texts;
      }
      cols.push_back(j);
    }
    return {{"format", "astra-sweep columns"}, {"version", 1}, {"rows", rows_}, {"columns", cols}};
  }

  void write_progress() {
    nlohmann::json cats = nlohmann::json::object();
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (item_bytes(columns_[c].type) == 4) cats[file_names_[c]] = dictionaries_[c].texts;
    const nlohmann::json j{{"rows", rows_}, {"next_point", next_point_}, {"categories", cats}};
    write_text_atomically(work_ + "/progress.json", j.dump() + "\n");
  }

  void save_checkpoint() {
    flush_text();
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (::fsync(files_[c]) != 0)
        throw std::runtime_error("cannot fsync " + file_path(c) + ": " + std::strerror(errno));
    write_progress();
    sync_path(work_);
    last_checkpoint_ = std::chrono::steady_clock::now();
  }

  // Temporaries of files written atomically (progress.json.tmp-<pid>) left by a killed run.
  void remove_temporaries() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(work_, ec))
      if (entry.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(entry.path(), ec);
  }

  // --resume: the column files cut back to the last checkpoint's rows.
  void reopen_at_checkpoint() {
    remove_temporaries();
    const fs::path progress = fs::path(work_) / "progress.json";
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_text(progress));
      rows_ = j.at("rows").get<std::uint64_t>();
      next_point_ = j.at("next_point").get<std::uint64_t>();
    } catch (const std::exception& e) {
      throw InputError("--resume", progress.string(), std::string("unreadable checkpoint: ") + e.what());
    }
    files_.resize(columns_.size(), -1);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (item_bytes(columns_[c].type) == 4) {
        const auto texts = j["categories"].value(file_names_[c], std::vector<std::string>{});
        for (const std::string& t : texts) dictionaries_[c].code(t);
      }
      const std::uint64_t size = kHeaderBytes + rows_ * item_bytes(columns_[c].type);
      std::error_code ec;
      if (fs::file_size(file_path(c), ec) < size || ec)
        throw InputError("--resume", file_path(c), "shorter than its checkpoint; remove " + work_ + " and run again");
      fs::resize_file(file_path(c), size);
      files_[c] = ::open(file_path(c).c_str(), O_RDWR | O_CLOEXEC);
      if (files_[c] < 0)
        throw std::runtime_error("cannot reopen " + file_path(c) + ": " + std::strerror(errno));
    }
  }

  void close_files() {
    for (int& f : files_)
      if (f >= 0) {
        ::close(f);
        f = -1;
      }
  }

  std::string path_, work_;
  std::vector<Column> columns_;
  std::vector<std::string> file_names_;
  std::vector<int> files_;  // one descriptor per column file, written with pwrite
  std::vector<Dictionary> dictionaries_;
  std::vector<ColumnChunk> wave_;
  struct TextStage {
    ColumnBytes bytes;          // rows not yet written
    std::uint64_t offset = 0;   // where bytes[0] goes in the file
  };
  std::vector<TextStage> stages_;  // per column (used by the text columns)
  ColumnChunk single_;
  std::uint64_t rows_ = 0, next_point_ = 0;
  bool resumable_ = false, committed_ = false;
  double checkpoint_seconds_ = 1.0;
  std::chrono::steady_clock::time_point last_checkpoint_;
};

}  // namespace

bool is_columnar_path(const std::string& path) {
  const std::string p = strip_slash(path);
  return p.size() > 6 && p.compare(p.size() - 6, 6, ".npy.d") == 0;
}

std::unique_ptr<ResultWriter> open_columnar_writer(const std::string& path, const std::vector<Column>& columns) {
  return std::make_unique<ColumnarOutput>(path, columns, nullptr, false, 0.0, nullptr, nullptr);
}

std::unique_ptr<ResultWriter> open_columnar_store(const std::string& path, const std::vector<Column>& columns,
                                                  const RunRecord& run, bool resume, double checkpoint_seconds,
                                                  std::uint64_t& resume_point, std::string& note) {
  return std::make_unique<ColumnarOutput>(path, columns, &run, resume, checkpoint_seconds, &resume_point, &note);
}

}  // namespace astra
