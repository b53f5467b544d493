// OutputFile: what each kind of path gets (a regular or missing file is replaced through a
// temporary, a device, FIFO or /dev/stdout is written in place, a directory is refused), and that
// no failure leaves a temporary behind or touches the file that was there.
#include "common/output_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace gilbench::common {
namespace {

// A fresh directory per test, removed with what it holds.
class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "output_file_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { ASSERT_EQ(std::system(("rm -rf '" + dir_ + "'").c_str()), 0); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // The names in the directory, hidden ones included (a temporary is hidden).
  std::vector<std::string> Listing() const {
    std::vector<std::string> names;
    DIR* dir = opendir(dir_.c_str());
    for (dirent* entry; dir != nullptr && (entry = readdir(dir)) != nullptr;) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    if (dir != nullptr) closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct stat Stat(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st;
}

TEST_F(OutputFileTest, MissingFileIsCreatedWithTheUmasksMode) {
  const mode_t old_umask = umask(022);
  std::string error;
  const bool ok = WriteOutputFile(Path("out.json"), "{}\n", &error);
  umask(old_umask);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(Read(Path("out.json")), "{}\n");
  EXPECT_EQ(Stat(Path("out.json")).st_mode & 07777, 0644u);
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(OutputFileTest, RegularFileIsReplacedKeepingItsMode) {
  WriteText(Path("out.json"), "old");
  ASSERT_EQ(chmod(Path("out.json").c_str(), 0640), 0);
  const ino_t old_inode = Stat(Path("out.json")).st_ino;
  std::string error;
  ASSERT_TRUE(WriteOutputFile(Path("out.json"), "new", &error)) << error;
  EXPECT_EQ(Read(Path("out.json")), "new");
  EXPECT_EQ(Stat(Path("out.json")).st_mode & 07777, 0640u);
  EXPECT_NE(Stat(Path("out.json")).st_ino, old_inode) << "written in place, not replaced";
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(OutputFileTest, NothingUnderTheFinalNameBeforeCommit) {
  WriteText(Path("out.json"), "old");
  OutputFile file;
  std::string error;
  ASSERT_TRUE(file.Open(Path("out.json"), &error)) << error;
  EXPECT_TRUE(file.replaces());
  ASSERT_TRUE(file.Write("new", &error)) << error;
  EXPECT_EQ(Read(Path("out.json")), "old");
  // The temporary is beside the final file, hidden, and holds what was written so far.
  const std::string temporary = file.write_path();
  EXPECT_EQ(temporary.rfind(dir_ + "/.out.json.tmp-", 0), 0u) << temporary;
  EXPECT_EQ(Read(temporary), "new");
  ASSERT_TRUE(file.Commit(&error)) << error;
  EXPECT_EQ(Read(Path("out.json")), "new");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(OutputFileTest, DiscardKeepsTheOldFileAndRemovesTheTemporary) {
  WriteText(Path("out.json"), "old");
  {
    OutputFile file;
    std::string error;
    ASSERT_TRUE(file.Open(Path("out.json"), &error)) << error;
    ASSERT_TRUE(file.Write("half", &error)) << error;
    // Destroyed without Commit, as on any early return.
  }
  EXPECT_EQ(Read(Path("out.json")), "old");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

// A write that fails part-way (here the file-size limit, EFBIG; a full disk is the same) keeps the
// old file whole and leaves no temporary.
TEST_F(OutputFileTest, FailingWriteKeepsTheOldFileAndRemovesTheTemporary) {
  WriteText(Path("out.json"), "old");
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  const rlimit small{10, before.rlim_max};
  sighandler_t old_handler = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error;
  const bool ok = WriteOutputFile(Path("out.json"), std::string(100, 'x'), &error);
  setrlimit(RLIMIT_FSIZE, &before);
  signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, Path("out.json") + ": File too large");
  EXPECT_EQ(Read(Path("out.json")), "old");
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.json"});
}

TEST_F(OutputFileTest, DevFullReportsTheFullDevice) {
  OutputFile file;
  std::string error;
  ASSERT_TRUE(file.Open("/dev/full", &error)) << error;
  // Checked before anything is written: as root, a wrong decision would replace the device node.
  ASSERT_FALSE(file.replaces());
  EXPECT_FALSE(file.Write("{}\n", &error));
  EXPECT_EQ(error, "/dev/full: No space left on device");
  EXPECT_TRUE(S_ISCHR(Stat("/dev/full").st_mode));
}

TEST_F(OutputFileTest, DevNullIsWrittenInPlace) {
  const struct stat before = Stat("/dev/null");
  OutputFile file;
  std::string error;
  ASSERT_TRUE(file.Open("/dev/null", &error)) << error;
  ASSERT_FALSE(file.replaces());
  EXPECT_EQ(file.write_path(), "/dev/null");
  ASSERT_TRUE(file.Write("{}\n", &error)) << error;
  ASSERT_TRUE(file.Commit(&error)) << error;
  const struct stat after = Stat("/dev/null");
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_rdev, before.st_rdev);
}

TEST_F(OutputFileTest, FifoIsWrittenInPlace) {
  ASSERT_EQ(mkfifo(Path("pipe").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = Read(Path("pipe")); });
  std::string error;
  const bool ok = WriteOutputFile(Path("pipe"), "through the pipe", &error);
  reader.join();
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(S_ISFIFO(Stat(Path("pipe")).st_mode));
  EXPECT_EQ(Listing(), std::vector<std::string>{"pipe"});
}

// /dev/stdout redirected to a regular file names that open file (a link through /proc): it is
// written where it is, never replaced by a new file (which would drop what stdout wrote and
// leave the writer's descriptor on a deleted file).
TEST_F(OutputFileTest, DevStdoutIsWrittenInPlaceEvenWhenItIsARegularFile) {
  WriteText(Path("stdout.txt"), "");
  const ino_t inode = Stat(Path("stdout.txt")).st_ino;
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  const int fd = open(Path("stdout.txt").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
  close(fd);
  OutputFile file;
  std::string error;
  const bool opened = file.Open("/dev/stdout", &error);
  const bool replaces = file.replaces();
  const bool written = opened && file.Write("stats", &error) && file.Commit(&error);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  ASSERT_TRUE(written) << error;
  EXPECT_FALSE(replaces);
  EXPECT_EQ(Read(Path("stdout.txt")), "stats");
  EXPECT_EQ(Stat(Path("stdout.txt")).st_ino, inode);
  EXPECT_EQ(Listing(), std::vector<std::string>{"stdout.txt"});
}

TEST_F(OutputFileTest, DirectoryIsRefused) {
  ASSERT_EQ(mkdir(Path("results").c_str(), 0755), 0);
  std::string error;
  EXPECT_FALSE(WriteOutputFile(Path("results"), "{}", &error));
  EXPECT_EQ(error, Path("results") + ": Is a directory");
  EXPECT_FALSE(CheckOutputPath(Path("results"), &error));
  EXPECT_EQ(error, Path("results") + ": Is a directory");
  EXPECT_EQ(Listing(), std::vector<std::string>{"results"}) << "a temporary was left";
}

TEST_F(OutputFileTest, SymlinkToADirectoryIsRefused) {
  ASSERT_EQ(mkdir(Path("results").c_str(), 0755), 0);
  ASSERT_EQ(symlink("results", Path("latest").c_str()), 0);
  std::string error;
  EXPECT_FALSE(WriteOutputFile(Path("latest"), "{}", &error));
  EXPECT_EQ(error, Path("latest") + ": Is a directory");
  EXPECT_EQ(Listing(), (std::vector<std::string>{"latest", "results"}));
}

TEST_F(OutputFileTest, SymlinkToAFileReplacesTheFileAndKeepsTheLink) {
  ASSERT_EQ(mkdir(Path("runs").c_str(), 0755), 0);
  WriteText(Path("runs/1.json"), "old");
  ASSERT_EQ(symlink("runs/1.json", Path("latest.json").c_str()), 0);
  OutputFile file;
  std::string error;
  ASSERT_TRUE(file.Open(Path("latest.json"), &error)) << error;
  EXPECT_EQ(file.final_path(), Path("runs/1.json"));
  ASSERT_TRUE(file.Write("new", &error) && file.Commit(&error)) << error;
  struct stat link {};
  ASSERT_EQ(lstat(Path("latest.json").c_str(), &link), 0);
  EXPECT_TRUE(S_ISLNK(link.st_mode));
  EXPECT_EQ(Read(Path("runs/1.json")), "new");
}

TEST_F(OutputFileTest, MissingDirectoryIsRefusedAndNothingIsCreated) {
  std::string error;
  EXPECT_FALSE(CheckOutputPath(Path("nope/out.json"), &error));
  EXPECT_EQ(error, Path("nope/out.json") + ": No such file or directory");
  EXPECT_FALSE(WriteOutputFile(Path("nope/out.json"), "{}", &error));
  EXPECT_EQ(error, Path("nope/out.json") + ": No such file or directory");
  EXPECT_TRUE(Listing().empty());
}

TEST_F(OutputFileTest, CheckOutputPathCreatesNothing) {
  std::string error;
  EXPECT_TRUE(CheckOutputPath(Path("out.json"), &error)) << error;
  EXPECT_TRUE(CheckOutputPath("/dev/null", &error)) << error;
  EXPECT_TRUE(Listing().empty());
}

TEST(PathBesideTest, NamesAFileInTheSameDirectory) {
  EXPECT_EQ(PathBeside("out/results.json", "topology.xml"), "out/topology.xml");
  EXPECT_EQ(PathBeside("/results.json", "topology.xml"), "/topology.xml");
  EXPECT_EQ(PathBeside("results.json", "topology.xml"), "topology.xml");
}

}  // namespace
}  // namespace gilbench::common
