// ReadFile: the whole file, or an error naming the file and why (where std::ifstream reads a
// directory as an empty file).
#include "common/read_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace gilbench::common {
namespace {

TEST(ReadFileTest, ReadsTheWholeFile) {
  const std::string path = ::testing::TempDir() + "read_file_test.txt";
  const std::string content = std::string(200000, 'x') + "end";  // more than one read
  std::ofstream(path, std::ios::binary) << content;
  std::string text, error;
  ASSERT_TRUE(ReadFile(path, &text, &error)) << error;
  EXPECT_EQ(text, content);
  unlink(path.c_str());
}

TEST(ReadFileTest, DirectoryIsAnError) {
  const std::string path = ::testing::TempDir() + "read_file_test_dir";
  mkdir(path.c_str(), 0755);
  std::string text, error;
  EXPECT_FALSE(ReadFile(path, &text, &error));
  EXPECT_EQ(error, path + ": Is a directory");
  rmdir(path.c_str());
}

TEST(ReadFileTest, MissingFileIsAnError) {
  std::string text, error;
  EXPECT_FALSE(ReadFile("/nonexistent-dir/x.py", &text, &error));
  EXPECT_EQ(error, "/nonexistent-dir/x.py: No such file or directory");
}

}  // namespace
}  // namespace gilbench::common
