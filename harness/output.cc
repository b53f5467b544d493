// The machine's name, the results file and topology.xml beside it (output.h).
#include "harness/output.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace gilbench::harness {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (StartsWith(line, "model name")) return line.substr(line.find(':') + 1);
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// Lower case, runs of anything but letters and digits become one '-'; trademarks dropped.
std::string Sanitize(std::string text) {
  for (const char* mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (size_t at; (at = text.find(mark)) != std::string::npos;) text.erase(at, strlen(mark));
  }
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "unknown" : out;
}

// The library's reporter for the --benchmark_out file in `Format`, checking its stream after
// every write: the library never looks, so a full disk gave a cut-off file and status 0.
template <typename Format>
class CheckedFileReporter : public Format {
 public:
  template <typename... FormatArgs>
  explicit CheckedFileReporter(std::string* write_error, FormatArgs... args)
      : Format(args...), write_error_(write_error) {}

  // A file that cannot take even the context (/dev/full) stops the run before it starts: the
  // library runs nothing when a reporter returns false here.
  bool ReportContext(const benchmark::BenchmarkReporter::Context& context) override {
    return Format::ReportContext(context) && Flushed();
  }
  void ReportRuns(const std::vector<benchmark::BenchmarkReporter::Run>& runs) override {
    Format::ReportRuns(runs);
    Flushed();
  }
  void Finalize() override {
    Format::Finalize();
    Flushed();
  }

 private:
  // Pushes what the format wrote to the file; false after a failed write, whose reason (errno,
  // set by the write the flush made) is kept unless an earlier one was.
  bool Flushed() {
    errno = 0;
    if (this->GetOutputStream().flush()) return true;
    if (write_error_->empty()) *write_error_ = errno != 0 ? std::strerror(errno) : "write error";
    return false;
  }

  std::string* write_error_;
};

// The reporter the library itself would make for --benchmark_out_format=`format`.
std::unique_ptr<benchmark::BenchmarkReporter> MakeFileReporter(const std::string& format,
                                                               std::string* write_error) {
  using benchmark::ConsoleReporter;
  if (format == "console") {
    return std::make_unique<CheckedFileReporter<ConsoleReporter>>(write_error,
                                                                  ConsoleReporter::OO_None);
  }
  if (format == "csv") {
    // Deprecated in the library, still one of its formats (CheckLibraryFlags accepts it).
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    return std::make_unique<CheckedFileReporter<benchmark::CSVReporter>>(write_error);
#pragma clang diagnostic pop
  }
  return std::make_unique<CheckedFileReporter<benchmark::JSONReporter>>(write_error);
}

}  // namespace

std::string MachineName(const Topology& topology) {
  return Sanitize(CpuModel()) + "-" + std::to_string(topology.Summarize().pus) + "pu";
}

bool ResultsFile::Open(const std::string& path, const std::string& format, std::string* error) {
  if (path.empty()) return true;
  if (!file_.Open(path, error)) return false;
  reporter_ = MakeFileReporter(format, &write_error_);
  return true;
}

bool ResultsFile::Finish(const Topology& topology, bool with_topology, std::string* error) {
  if (reporter_ == nullptr) return true;
  if (!write_error_.empty()) {
    file_.Discard();
    *error = final_path() + ": " + write_error_;
    return false;
  }
  // Before the rename, so that the results never appear without their machine. A topology that
  // cannot be written (the directory took the temporary, so it is rare) keeps the results.
  std::string topology_error;
  const bool topology_ok =
      !with_topology || !file_.replaces() ||
      topology.ExportXml(common::PathBeside(final_path(), "topology.xml"), &topology_error);
  if (!file_.Commit(error)) return false;
  if (!topology_ok) *error = topology_error;
  return topology_ok;
}

}  // namespace gilbench::harness
