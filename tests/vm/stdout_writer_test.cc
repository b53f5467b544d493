// Tests of the model of CPython's sys.stdout (vm/stdout_writer.h) over a pipe: when text reaches
// the fd, and what a failed write leaves behind. The expectations are CPython 3.11's, seen
// through the differential programs print_buffer_*.py and tests/vm/gilvm_process_test.py.
#include "vm/stdout_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>

namespace gilbench::vm {
namespace {

// A pipe whose read end never blocks, so a test can see what has reached it so far.
class Pipe {
 public:
  Pipe() {
    EXPECT_EQ(pipe(fds_), 0);
    EXPECT_EQ(fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
  }
  ~Pipe() {
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int write_end() const { return fds_[1]; }
  void CloseReadEnd() {
    close(fds_[0]);
    fds_[0] = -1;
  }
  // Everything written so far.
  std::string Drain() {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds_[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

// Writing to a pipe with no reader must fail with EPIPE rather than kill the test.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() : previous_(std::signal(SIGPIPE, SIG_IGN)) {}
  ~IgnoreSigpipe() { std::signal(SIGPIPE, previous_); }

 private:
  void (*previous_)(int);
};

TEST(StdoutWriterTest, TextWaitsUntilFlush) {
  Pipe pipe;
  StdoutWriter out(pipe.write_end());
  EXPECT_EQ(out.Write("hello "), 0);
  EXPECT_EQ(out.Write("world\n"), 0);
  EXPECT_EQ(pipe.Drain(), "");
  EXPECT_EQ(out.Flush(), 0);
  EXPECT_EQ(pipe.Drain(), "hello world\n");
}

TEST(StdoutWriterTest, TextGoesOutOnceTheChunkSizeIsPending) {
  Pipe pipe;
  StdoutWriter out(pipe.write_end());
  EXPECT_EQ(out.Write(std::string(8191, 'a')), 0);
  EXPECT_EQ(pipe.Drain(), "");
  EXPECT_EQ(out.Write("b"), 0);  // 8192 pending: down at once, too big for the byte layer
  EXPECT_EQ(pipe.Drain(), std::string(8191, 'a') + "b");
}

TEST(StdoutWriterTest, TextThatFitsWaitsInTheByteLayer) {
  Pipe pipe;
  StdoutWriter out(pipe.write_end());
  EXPECT_EQ(out.Write(std::string(100, 'x')), 0);
  EXPECT_EQ(out.Write(std::string(8100, 'y')), 0);  // hands the 100 down; they fit the buffer
  EXPECT_EQ(pipe.Drain(), "");
  EXPECT_EQ(out.Write(std::string(9000, 'z')), 0);
  EXPECT_EQ(pipe.Drain(), std::string(100, 'x') + std::string(8100, 'y') + std::string(9000, 'z'));
}

TEST(StdoutWriterTest, ClosedFdDiscardsOutput) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  close(fds[1]);
  StdoutWriter out(fds[1]);  // no longer open: CPython's sys.stdout is None
  EXPECT_EQ(out.Write(std::string(20000, 'x')), 0);
  EXPECT_EQ(out.Flush(), 0);
}

TEST(StdoutWriterTest, BufferedTextThatFailsIsTriedAgain) {
  IgnoreSigpipe ignore;
  Pipe pipe;
  StdoutWriter out(pipe.write_end());
  pipe.CloseReadEnd();
  EXPECT_EQ(out.Write("small"), 0);
  EXPECT_EQ(out.Flush(), EPIPE);
  EXPECT_EQ(out.Flush(), EPIPE);  // still there: the flush at exit fails too
}

TEST(StdoutWriterTest, TextThatFailsToGoStraightOutIsLost) {
  IgnoreSigpipe ignore;
  Pipe pipe;
  StdoutWriter out(pipe.write_end());
  pipe.CloseReadEnd();
  EXPECT_EQ(out.Write(std::string(20000, 'x')), EPIPE);
  EXPECT_EQ(out.Flush(), 0);
}

}  // namespace
}  // namespace gilbench::vm
