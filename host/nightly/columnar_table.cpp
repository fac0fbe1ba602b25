#include "host/nightly/columnar_table.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "host/input/input_error.hpp"
#include "host/sweep/output/cell_text.hpp"

namespace astra {
namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The data of a one-dimensional .npy file of `descr` with `rows` entries.
std::string npy_data(const std::string& path, const std::string& descr, std::uint64_t rows, std::size_t item) {
  std::string bytes = read_bytes(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw InputError(path, "", "not a .npy file");
  const std::size_t len = static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  const std::string header = bytes.substr(10, len);
  if (header.find("'descr': '" + descr + "'") == std::string::npos ||
      header.find("'shape': (" + std::to_string(rows) + ",)") == std::string::npos)
    throw InputError(path, "", "header does not match schema.json (" + descr + ", " + std::to_string(rows) + " rows)");
  if (bytes.size() != 10 + len + rows * item) throw InputError(path, "", "size does not match its header");
  return bytes.substr(10 + len);
}

}  // namespace

ResultTable read_columnar_table(const std::string& path) {
  const std::string schema_path = path + "/schema.json";
  nlohmann::json schema;
  try {
    schema = nlohmann::json::parse(read_bytes(schema_path));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(schema_path, "", std::string("malformed: ") + e.what());
  }
  ResultTable t;
  try {
    const std::uint64_t rows = schema.at("rows").get<std::uint64_t>();
    t.rows.assign(rows, {});
    for (const auto& col : schema.at("columns")) {
      const std::string name = col.at("name").get<std::string>(), dtype = col.at("dtype").get<std::string>();
      const std::string file = path + "/" + col.at("file").get<std::string>();
      t.columns.push_back(name);
      const bool text = col.contains("categories");
      const std::size_t item = dtype == "int32" ? 4 : 8;
      const char* descr = dtype == "uint64" ? "<u8" : dtype == "int64" ? "<i8" : dtype == "float64" ? "<f8" : "<i4";
      const std::string data = npy_data(file, descr, rows, item);
      const std::vector<std::string> categories = text ? col.at("categories").get<std::vector<std::string>>()
                                                       : std::vector<std::string>{};
      for (std::uint64_t r = 0; r < rows; ++r) {
        Cell cell;
        const char* p = data.data() + r * item;
        std::string& out = t.rows[r].emplace_back();
        if (text) {
          std::int32_t code;
          std::memcpy(&code, p, 4);
          if (code >= 0 && static_cast<std::size_t>(code) < categories.size()) out = categories[static_cast<std::size_t>(code)];
          continue;
        }
        if (dtype == "uint64") {
          std::memcpy(&cell.u, p, 8);
          if (cell.u != std::numeric_limits<std::uint64_t>::max()) cell.type = CellType::UInt;
        } else if (dtype == "int64") {
          std::memcpy(&cell.i, p, 8);
          if (cell.i != std::numeric_limits<std::int64_t>::min()) cell.type = CellType::Int;
        } else {
          std::memcpy(&cell.r, p, 8);
          cell.type = CellType::Real;  // NaN: empty, as in CSV
        }
        append_cell_text_fast(out, cell);
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(schema_path, "", std::string("malformed: ") + e.what());
  }
  return t;
}

}  // namespace astra
