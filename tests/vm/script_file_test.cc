// Tests of reading gilvm's script (vm/script_file.h): CPython 3.11's absolute file name, a
// directory run through its __main__.py, and CPython's messages and statuses for what cannot
// be run (seen with `python3 PATH`).
#include "vm/script_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gilbench::vm {
namespace {

// A fresh directory (removed with its files at the end) made the working directory.
class ScriptFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::filesystem::temp_directory_path() / "script_file_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = std::filesystem::canonical(pattern);  // CPython's absolute paths use the real cwd
    old_cwd_ = std::filesystem::current_path();
    std::filesystem::current_path(dir_);
  }
  void TearDown() override {
    std::filesystem::current_path(old_cwd_);
    std::filesystem::remove_all(dir_);
  }
  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
  }

  std::string dir_;
  std::filesystem::path old_cwd_;
  ScriptFile script_;
  std::string error_;
  int status_ = 0;
};

TEST_F(ScriptFileTest, RelativePathMadeAbsolute) {
  WriteFile("prog.py", "print(1)\n");
  ASSERT_TRUE(ReadScript("prog.py", &script_, &error_, &status_)) << error_;
  EXPECT_EQ(script_.filename, dir_ + "/prog.py");
  EXPECT_EQ(script_.source, "print(1)\n");
  ASSERT_TRUE(ReadScript("./prog.py", &script_, &error_, &status_)) << error_;
  EXPECT_EQ(script_.filename, dir_ + "/./prog.py");  // CPython does not normalise it
  ASSERT_TRUE(ReadScript(dir_ + "/prog.py", &script_, &error_, &status_)) << error_;
  EXPECT_EQ(script_.filename, dir_ + "/prog.py");
}

TEST_F(ScriptFileTest, MissingFile) {
  EXPECT_FALSE(ReadScript("missing.py", &script_, &error_, &status_));
  EXPECT_EQ(error_,
            "can't open file '" + dir_ + "/missing.py': [Errno 2] No such file or directory");
  EXPECT_EQ(status_, 2);
}

TEST_F(ScriptFileTest, DirectoryWithoutMain) {
  ASSERT_TRUE(std::filesystem::create_directory(dir_ + "/pkg"));
  EXPECT_FALSE(ReadScript("pkg/", &script_, &error_, &status_));
  EXPECT_EQ(error_, "can't find '__main__' module in '" + dir_ + "/pkg/'");
  EXPECT_EQ(status_, 1);
}

TEST_F(ScriptFileTest, DirectoryRunsItsMain) {
  ASSERT_TRUE(std::filesystem::create_directory(dir_ + "/pkg"));
  WriteFile("pkg/__main__.py", "print('main')\n");
  ASSERT_TRUE(ReadScript("pkg", &script_, &error_, &status_)) << error_;
  EXPECT_EQ(script_.filename, dir_ + "/pkg/__main__.py");
  EXPECT_EQ(script_.source, "print('main')\n");
}

// Opening works but reading fails (EIO): an error, where CPython 3.11 runs an empty program.
TEST_F(ScriptFileTest, ReadErrorIsNotAnEmptyFile) {
  EXPECT_FALSE(ReadScript("/proc/self/mem", &script_, &error_, &status_));
  EXPECT_EQ(error_, "can't open file '/proc/self/mem': [Errno 5] Input/output error");
  EXPECT_EQ(status_, 2);
}

}  // namespace
}  // namespace gilbench::vm
