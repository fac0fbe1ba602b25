// The compiled half of `import astra_sweep` (astra_sweep/_core): sweeps run in-process into
// column arrays handed to numpy without a copy, and the CLI's subcommands run in-process for the
// thin wrappers (simulate, calibrate, sensitivity). The Python half (astra_sweep/__init__.py)
// turns these into DataFrames. Long calls release the GIL; Ctrl-C stops a sweep after the batch
// in flight (the engine's stop flag) and raises KeyboardInterrupt.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "host/cli/commands.hpp"
#include "host/input/input_error.hpp"
#include "host/sweep/backends/backend_selection.hpp"
#include "host/sweep/output/result_writer.hpp"
#include "host/sweep/run/sweep_runner.hpp"
#include "host/sweep/spec/sweep_spec.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace astra::python {
namespace {

// Rows collected per column in memory: numbers as uint64/int64/double, text as int32 codes
// into a dictionary (first appearance), -1 = none; built on every core (row_source.hpp).
class ColumnCollector final : public ResultWriter {
 public:
  explicit ColumnCollector(std::vector<Column> columns)
      : columns_(std::move(columns)), data_(columns_.size()), texts_(columns_.size()), codes_(columns_.size()) {}

  void write_row(const std::vector<Cell>& cells) override {
    for (std::size_t c = 0; c < columns_.size(); ++c) append_cell(c, cells[c]);
  }

  void write_rows(const RowSource& rows) override {
    const unsigned threads = rows.threads();
    std::vector<ColumnBlock> slots(4u * threads);
    std::vector<RowScratch> scratch(threads);
    std::vector<char> from_block(slots.size());
    std::vector<std::vector<std::vector<Cell>>> cell_rows(slots.size());
    std::vector<std::vector<std::string>> texts(slots.size());
    ordered_parallel_chunks(
        rows.size(), 16384, threads, slots.size(),
        [&](unsigned w, std::size_t slot, std::uint64_t begin, std::uint64_t end) {
          from_block[slot] = rows.fill_columns(begin, end, slots[slot]);
          if (from_block[slot]) return;
          // No fast path: keep the cells (texts copied, as they live in the scratch).
          auto& out = cell_rows[slot];
          auto& keep = texts[slot];
          out.clear();
          keep.clear();
          keep.reserve((end - begin) * columns_.size());
          for (std::uint64_t k = begin; k < end; ++k) {
            out.push_back(rows.row(k, scratch[w]));
            for (Cell& cell : out.back())
              if (cell.type == CellType::Text) {
                keep.emplace_back(cell.text);
                cell.text = keep.back();
              }
          }
        },
        [&](std::size_t slot) {
          if (!from_block[slot]) {
            for (const auto& r : cell_rows[slot]) write_row(r);
            return;
          }
          ColumnBlock& b = slots[slot];
          for (std::size_t c = 0; c < columns_.size(); ++c) {
            auto& d = data_[c];
            if (columns_[c].type != CellType::Text) {
              d.insert(d.end(), b.data[c].begin(), b.data[c].end());
              continue;
            }
            std::vector<std::int32_t> remap;
            for (const std::string& t : b.texts[c]) remap.push_back(code(c, t));
            const std::size_t n = b.data[c].size() / 4;
            const std::size_t at = d.size();
            d.resize(at + 4 * n);
            for (std::size_t k = 0; k < n; ++k) {
              std::int32_t v;
              std::memcpy(&v, b.data[c].data() + 4 * k, 4);
              if (v >= 0) v = remap[static_cast<std::size_t>(v)];
              std::memcpy(d.data() + at + 4 * k, &v, 4);
            }
          }
        });
  }
  void commit() override {}

  const std::vector<Column>& columns() const { return columns_; }
  std::vector<unsigned char>& data(std::size_t c) { return data_[c]; }
  const std::vector<std::string>& texts(std::size_t c) const { return texts_[c]; }

 private:
  std::int32_t code(std::size_t c, std::string_view t) {
    auto it = codes_[c].find(std::string(t));
    if (it != codes_[c].end()) return it->second;
    const auto v = static_cast<std::int32_t>(texts_[c].size());
    texts_[c].emplace_back(t);
    codes_[c].emplace(texts_[c].back(), v);
    return v;
  }
  template <class T>
  void put(std::size_t c, T v) {
    const auto* b = reinterpret_cast<const unsigned char*>(&v);
    data_[c].insert(data_[c].end(), b, b + sizeof v);
  }
  void append_cell(std::size_t c, const Cell& cell) {
    switch (columns_[c].type) {
      case CellType::UInt: put(c, cell.type == CellType::UInt ? cell.u : UINT64_MAX); break;
      case CellType::Int: put(c, cell.type == CellType::Int ? cell.i : INT64_MIN); break;
      case CellType::Real: put(c, cell.type == CellType::Real ? cell.r : std::nan("")); break;
      default: put(c, cell.type == CellType::Text ? code(c, cell.text) : std::int32_t{-1});
    }
  }
  std::vector<Column> columns_;
  std::vector<std::vector<unsigned char>> data_;
  std::vector<std::vector<std::string>> texts_;
  std::vector<std::unordered_map<std::string, std::int32_t>> codes_;
};

// A vector's bytes as a numpy array that owns them (no copy).
py::array to_numpy(std::vector<unsigned char>&& bytes, const char* dtype, std::size_t item) {
  auto* owner = new std::vector<unsigned char>(std::move(bytes));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<unsigned char>*>(p); });
  return py::array(py::dtype(dtype), {static_cast<py::ssize_t>(owner->size() / item)}, {static_cast<py::ssize_t>(item)},
                   owner->data(), free_when_done);
}

// The spec's text with extra `where` constraints appended.
std::string with_where(const std::string& text, const std::vector<std::string>& where) {
  if (where.empty()) return text;
  YAML::Node root = YAML::Load(text);
  YAML::Node list(YAML::NodeType::Sequence);
  if (root["where"]) {
    if (root["where"].IsSequence())
      for (const auto& w : root["where"]) list.push_back(w.as<std::string>());
    else
      list.push_back(root["where"].as<std::string>());
  }
  for (const std::string& w : where) list.push_back(w);
  root["where"] = list;
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

// Runs `work` with the GIL released on another thread while this one watches for Ctrl-C (and
// other signals Python handles): on one, `stop` is set and the Python error is rethrown after
// the work has stopped.
template <class Work>
void run_interruptible(std::atomic<bool>& stop, Work&& work) {
  std::exception_ptr error;
  std::atomic<bool> done{false};
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      done = true;
    });
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (interrupted) continue;
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        stop = true;
      }
    }
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
}

py::dict summary_dict(const SweepRunSummary& s) {
  py::dict d;
  d["total_points"] = s.total_points;
  d["filtered"] = s.filtered;
  d["written"] = s.written;
  d["ok"] = s.ok;
  d["rejected"] = s.rejected;
  d["incomplete"] = s.incomplete;
  d["by_reference"] = s.by_reference;
  d["seconds"] = s.seconds;
  d["backend"] = s.backend;
  d["device"] = s.device;
  d["metric"] = s.metric_name;
  d["metric_count"] = s.metric_count;
  if (s.metric_count > 0) {
    d["metric_min"] = s.metric_min;
    d["metric_max"] = s.metric_max;
    d["metric_mean"] = s.metric_sum / static_cast<double>(s.metric_count);
    d["best_index"] = s.best_index;
  }
  return d;
}

py::tuple run_spec(const std::string& text, const std::string& file, const std::string& base_dir,
                   const std::string& backend, const std::string& columns, const std::vector<std::string>& where,
                   std::size_t top_k, const std::string& by, bool summary_only, unsigned threads,
                   std::uint64_t limit) {
  SweepLoadOptions load;
  if (limit) load.limit = limit;
  const SweepSpec spec = parse_sweep_spec(with_where(text, where), file, base_dir, load);
  SweepRunOptions options;
  options.summary_metric = spec.inline_collective ? ColumnKind::CollectiveTimeNs : ColumnKind::IterationTimeNs;
  if (!by.empty()) options.summary_metric = metric_column(by);
  if (top_k > 0) {
    if (by.empty()) throw InputError("top_k", std::to_string(top_k), "needs by=METRIC");
    options.top_k = TopKRequest{top_k, options.summary_metric, metric_prefers_largest(options.summary_metric)};
  }
  options.summary_only = summary_only;
  options.host_threads = threads;
  std::atomic<bool> stop{false};
  options.stop = &stop;
  RowBuilder rows(spec, select_columns(spec, columns));
  ColumnCollector collector(rows.columns());
  std::string note;
  auto evaluator = select_backend(backend, spec, threads, note);
  SweepRunSummary summary;
  run_interruptible(stop, [&] { summary = run_sweep(spec, *evaluator, rows, collector, options); });
  py::list names, arrays, categories;
  for (std::size_t c = 0; c < collector.columns().size(); ++c) {
    const Column& col = collector.columns()[c];
    names.append(col.name);
    const char* dtype = col.type == CellType::UInt  ? "uint64"
                        : col.type == CellType::Int ? "int64"
                        : col.type == CellType::Real ? "float64"
                                                     : "int32";
    arrays.append(to_numpy(std::move(collector.data(c)), dtype, col.type == CellType::Text ? 4 : 8));
    if (col.type == CellType::Text) categories.append(py::cast(collector.texts(c)));
    else categories.append(py::none());
  }
  return py::make_tuple(names, arrays, categories, summary_dict(summary), note);
}

// Output of the CLI run in-process: stdout and stderr captured through temporary files.
std::mutex cli_mutex;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

py::tuple run_cli(std::vector<std::string> args) {
  std::lock_guard lock(cli_mutex);
  const fs::path dir = fs::temp_directory_path() / ("astra_sweep_py_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out_path = (dir / "stdout").string(), err_path = (dir / "stderr").string();
  int rc = 0;
  {
    py::gil_scoped_release release;
    std::fflush(stdout);
    std::fflush(stderr);
    const int saved_out = ::dup(1), saved_err = ::dup(2);
    std::FILE* out = std::fopen(out_path.c_str(), "wb");
    std::FILE* err = std::fopen(err_path.c_str(), "wb");
    ::dup2(fileno(out), 1);
    ::dup2(fileno(err), 2);
    args.insert(args.begin(), "astra-sweep");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    try {
      rc = cli::run_main(static_cast<int>(argv.size()), argv.data());
    } catch (...) {
      rc = 1;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    ::close(saved_out);
    ::close(saved_err);
    std::fclose(out);
    std::fclose(err);
  }
  std::string text_out = read_all(out_path), text_err = read_all(err_path);
  fs::remove_all(dir);
  return py::make_tuple(rc, py::bytes(text_out), py::bytes(text_err));
}

}  // namespace
}  // namespace astra::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "astra-sweep's compiled core; use the astra_sweep package";
  // Bad input: the CLI's one-line message (without its "error: " prefix), a ValueError.
  py::register_exception<astra::InputError>(m, "InputError", PyExc_ValueError);
  m.def("run_spec", &astra::python::run_spec, py::arg("text"), py::arg("file"), py::arg("base_dir"),
        py::arg("backend"), py::arg("columns"), py::arg("where"), py::arg("top_k"), py::arg("by"),
        py::arg("summary_only"), py::arg("threads"), py::arg("limit"));
  m.def("run_cli", &astra::python::run_cli, py::arg("args"));
}
