// An ASTRA-sim 1.0 text workload, read but not yet converted:
//
//   line 1   parallelism type [extra]      e.g. "DATA", "HYBRID_DLRM 4" (4 = last bottom layer)
//   line 2   number of layers
//   line 3+  one layer per line, whitespace-separated columns:
//            name  reserved  fwd_compute_us fwd_comm_type fwd_comm_bytes
//                            ig_compute_us  ig_comm_type  ig_comm_bytes
//                            wg_compute_us  wg_comm_type  wg_comm_bytes  wg_update_us
//
// Numbers stay as written (possibly negative); the converter checks the ones it uses, as
// Chakra's converter only fails on the values it reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace astra {

// Column numbers (1-based, as a user counts them) of a layer line.
enum TextColumn : int {
  kColName = 1,
  kColFwdCompute = 3, kColFwdCommType = 4, kColFwdCommSize = 5,
  kColIgCompute = 6, kColIgCommType = 7, kColIgCommSize = 8,
  kColWgCompute = 9, kColWgCommType = 10, kColWgCommSize = 11,
  kColCount = 12,
};
const char* text_column_name(int column);

struct TextLayer {
  int line = 0;  // 1-based line number in the file
  std::string name;
  std::int64_t fwd_compute_us = 0, ig_compute_us = 0, wg_compute_us = 0;
  std::string fwd_comm_type, ig_comm_type, wg_comm_type;
  std::int64_t fwd_comm_bytes = 0, ig_comm_bytes = 0, wg_comm_bytes = 0;
};

struct TextWorkloadFile {
  std::string parallelism;           // first word of line 1
  bool has_last_bottom_layer = false;
  std::int64_t last_bottom_layer = 0;  // HYBRID_DLRM*: second word of line 1
  std::vector<TextLayer> layers;
};

// Throws InputError (file, "line N[, column C (what)]", reason) on malformed text.
TextWorkloadFile read_text_workload_file(std::string_view text, const std::string& file);

}  // namespace astra
