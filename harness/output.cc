// The results directory and its atomic completion (output.h).
#include "harness/output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
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

std::string UtcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &utc);
  return buf;
}

// mkdir -p.
bool MakeDirs(const std::string& path, std::string* error) {
  for (size_t at = 1; at <= path.size(); ++at) {
    if (at != path.size() && path[at] != '/') continue;
    const std::string prefix = path.substr(0, at);
    if (mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      *error = "cannot create " + prefix + ": " + strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace

std::string MachineName(const Topology& topology) {
  return Sanitize(CpuModel()) + "-" + std::to_string(topology.Summarize().pus) + "pu";
}

bool PlanOutput(const std::vector<std::string>& args, const std::string& results_dir,
                const Topology& topology, OutputPlan* out, std::string* error) {
  *out = OutputPlan{};
  for (const std::string& arg : args) {
    if (StartsWith(arg, "--benchmark_out=")) {
      // The user's file; the topology still goes beside it.
      const std::string file = arg.substr(std::strlen("--benchmark_out="));
      const size_t slash = file.rfind('/');
      const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash + 1);
      return topology.ExportXml(dir + (dir.back() == '/' ? "" : "/") + "topology.xml", error);
    }
    // Runs that produce no results: listing, and --help (the library prints it and exits).
    if (arg == "--benchmark_list_tests" || arg == "--benchmark_list_tests=true") return true;
    if (arg == "--help" || arg == "-h") return true;
  }
  out->managed = true;
  out->dir = results_dir + "/" + MachineName(topology) + "/" + UtcStamp();
  out->final_path = out->dir + "/gilbench.json";
  out->temp_path = out->final_path + ".tmp";
  out->extra_args = {"--benchmark_out=" + out->temp_path, "--benchmark_out_format=json"};
  if (!MakeDirs(out->dir, error)) return false;
  return topology.ExportXml(out->dir + "/topology.xml", error);
}

bool FinishOutput(const OutputPlan& plan, std::string* error) {
  if (!plan.managed) return true;
  if (std::rename(plan.temp_path.c_str(), plan.final_path.c_str()) != 0) {
    *error = "cannot rename " + plan.temp_path + ": " + strerror(errno);
    return false;
  }
  std::fprintf(stderr, "gilbench: results in %s\n", plan.final_path.c_str());
  return true;
}

}  // namespace gilbench::harness
