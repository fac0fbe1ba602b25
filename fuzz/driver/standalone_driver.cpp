// A main() for the fuzz targets when they are built without libFuzzer (g++; ctest runs them):
//
//   <target> [--iterations N] [--seed S] <corpus dir>
//
// It replays every file of <corpus dir>/<name> (the executable's name without "_fuzz"; a folder
// named exactly like the executable works too), then runs N inputs made by deterministic random
// mutations of those files: bit flips, byte overwrites, truncations, insertions of bytes and of
// syntax tokens, deletions, duplications and splices of two files. Every input must return from
// LLVMFuzzerTestOneInput (the targets swallow astra::InputError only); an escaping exception, a
// crash, or an input running longer than 10 s fails the run, naming the input and saving it as
// ./fuzz-failure-<name>.bin. Exit 0 when every input passed.
//
// With clang the same targets build as libFuzzer binaries instead (no driver), e.g.
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Ihost -Ikernels -Ikernels/model \
//     fuzz/network_yaml_fuzz.cpp host/input/*.cpp host/workload/workload.cpp -lyaml-cpp \
//     -o network_yaml_libfuzzer && ./network_yaml_libfuzzer -max_total_time=60 fuzz/corpus/network_yaml
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr unsigned kInputTimeout_s = 10;

// What is running now, for the signal handler (which may only use async-signal-safe calls).
char g_current[512] = "(none)";
std::string g_name;
const Bytes* g_current_input = nullptr;

void save_failure(const Bytes& input) {
  std::ofstream out("fuzz-failure-" + g_name + ".bin", std::ios::binary);
  out.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
}

extern "C" void on_fatal_signal(int sig) {
  const char* what = sig == SIGALRM ? "timeout (input ran longer than 10 s)" : "crash (fatal signal)";
  const char* parts[] = {"fuzz driver: ", what, " on input ", g_current, "\n"};
  for (const char* p : parts) {
    ssize_t ignored = write(2, p, std::strlen(p));
    (void)ignored;
  }
  if (g_current_input != nullptr) {
    // not async-signal-safe, but the process is going down anyway; best effort
    const std::string path = "fuzz-failure-" + g_name + ".bin";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f != nullptr) {
      std::fwrite(g_current_input->data(), 1, g_current_input->size(), f);
      std::fclose(f);
    }
  }
  std::signal(sig, SIG_DFL);
  std::signal(SIGABRT, SIG_DFL);
  std::raise(sig == SIGALRM ? SIGABRT : sig);
}

// splitmix64: small, fast, the same sequence everywhere.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// Pieces of the three input syntaxes, so that mutations reach past the first syntax check.
const std::string_view kTokens[] = {
    "[", "]", "{", "}", ":", ",", "\"", "'", "#", "\n", "\r\n", "\t", " ", "-", "-1", "0", "1", "2", "8",
    "65536", "1e309", "-0", "nan", ".inf", "9223372036854775807", "18446744073709551616", "2.5", "null",
    "true", "false", "~", "&a", "*a", "!!str", "---", "...", "- ", "? ", "|", ">", "%YAML 1.2\n",
    "topology", "npus_count", "bandwidth", "latency", "Ring", "Switch", "FullyConnected",
    "preferred-dataset-splits", "endpoint-delay", "all-reduce-implementation", "direct", "direct0",
    "oneDirect99999", "halvingDoubling", "doubleBinaryTree", "model-shared-bus", "roofline-enabled",
    "\\u0000", "\\ud800", "DATA", "MODEL", "MICRO", "HYBRID_DLRM", "HYBRID_DATA_MODEL", "ALLREDUCE",
    "ALLTOALL", "NONE", "\xff", "\xc3\xa9", std::string_view("\0", 1)};

Bytes mutate(const std::vector<Bytes>& corpus, Rng& rng) {
  Bytes b = corpus[rng.below(corpus.size())];
  const int rounds = 1 + static_cast<int>(rng.below(4));
  for (int r = 0; r < rounds; ++r) {
    switch (rng.below(8)) {
      case 0:  // bit flips
        if (!b.empty()) {
          for (int k = 1 + static_cast<int>(rng.below(4)); k > 0; --k) b[rng.below(b.size())] ^= 1u << rng.below(8);
        }
        break;
      case 1:  // overwrite a byte
        if (!b.empty()) b[rng.below(b.size())] = static_cast<std::uint8_t>(rng.next());
        break;
      case 2:  // truncate
        b.resize(rng.below(b.size() + 1));
        break;
      case 3: {  // insert random bytes
        Bytes ins(1 + rng.below(8));
        for (auto& c : ins) c = static_cast<std::uint8_t>(rng.next());
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)), ins.begin(), ins.end());
        break;
      }
      case 4: {  // insert a syntax token
        const std::string_view t = kTokens[rng.below(std::size(kTokens))];
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)), t.begin(), t.end());
        break;
      }
      case 5:  // delete a range
        if (!b.empty()) {
          const std::size_t at = rng.below(b.size());
          const std::size_t len = 1 + rng.below(std::min<std::size_t>(b.size() - at, 32));
          b.erase(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + len));
        }
        break;
      case 6:  // duplicate a range
        if (!b.empty()) {
          const std::size_t at = rng.below(b.size());
          const std::size_t len = 1 + rng.below(std::min<std::size_t>(b.size() - at, 64));
          const Bytes piece(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + len));
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)), piece.begin(), piece.end());
        }
        break;
      default: {  // splice: the head of this input, the tail of another
        const Bytes& other = corpus[rng.below(corpus.size())];
        Bytes spliced(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(rng.below(b.size() + 1)));
        spliced.insert(spliced.end(), other.begin() + static_cast<std::ptrdiff_t>(rng.below(other.size() + 1)),
                       other.end());
        b = std::move(spliced);
        break;
      }
    }
  }
  return b;
}

bool run_one(const Bytes& input, const std::string& label) {
  std::snprintf(g_current, sizeof g_current, "%s", label.c_str());
  g_current_input = &input;
  alarm(kInputTimeout_s);
  bool ok = true;
  try {
    LLVMFuzzerTestOneInput(input.data(), input.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz driver: %s: an exception other than astra::InputError escaped: %s\n", label.c_str(),
                 e.what());
    ok = false;
  } catch (...) {
    std::fprintf(stderr, "fuzz driver: %s: a non-standard exception escaped\n", label.c_str());
    ok = false;
  }
  alarm(0);
  g_current_input = nullptr;
  if (!ok) save_failure(input);
  return ok;
}

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--iterations N] [--seed S] <corpus dir>\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long long iterations = 1000;
  std::uint64_t seed = 1;
  std::string corpus_root;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::atoll(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (!a.empty() && a[0] != '-' && corpus_root.empty()) {
      corpus_root = a;
    } else {
      return usage(argv[0]);
    }
  }
  if (corpus_root.empty() || iterations < 0) return usage(argv[0]);

  const std::string exe = fs::path(argv[0]).filename().string();
  g_name = exe.size() > 5 && exe.ends_with("_fuzz") ? exe.substr(0, exe.size() - 5) : exe;
  fs::path dir = fs::path(corpus_root) / g_name;
  if (!fs::is_directory(dir)) dir = fs::path(corpus_root) / exe;
  if (!fs::is_directory(dir)) {
    std::fprintf(stderr, "fuzz driver: no corpus folder %s/%s\n", corpus_root.c_str(), g_name.c_str());
    return 2;
  }

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "fuzz driver: the corpus folder %s is empty\n", dir.c_str());
    return 2;
  }

  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) std::signal(sig, on_fatal_signal);

  std::vector<Bytes> corpus;
  int failures = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!run_one(corpus.back(), f.filename().string())) ++failures;
  }
  Rng rng{seed};
  long long mutations = 0;
  for (; mutations < iterations && failures == 0; ++mutations) {
    const Bytes input = mutate(corpus, rng);
    if (!run_one(input, "mutation " + std::to_string(mutations) + " (seed " + std::to_string(seed) + ")")) ++failures;
  }
  std::printf("fuzz driver: %s: %zu corpus files, %lld mutations, %d failure(s)\n", g_name.c_str(), corpus.size(),
              mutations, failures);
  return failures == 0 ? 0 : 1;
}
