// The machine's name and topology.xml beside the user's output file (output.h).
#include "harness/output.h"

#include <unistd.h>

#include <cctype>
#include <cstring>
#include <fstream>

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

}  // namespace

std::string MachineName(const Topology& topology) {
  return Sanitize(CpuModel()) + "-" + std::to_string(topology.Summarize().pus) + "pu";
}

bool WriteTopologyBeside(const std::string& out_file, const Topology& topology,
                         std::string* error) {
  const size_t slash = out_file.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : out_file.substr(0, slash + 1);
  return topology.ExportXml(dir + "topology.xml", error);
}

}  // namespace gilbench::harness
