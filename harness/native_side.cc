// The native sides of the I/O workloads (native_side.h): pipe_io's paced feeders, the echo
// client of latency and bandwidth, convoy's drainer. Every native end is non-blocking and every
// wait is a poll that also watches the cancel eventfd that Stop fires, so no native thread can
// outlive the VM workers it serves.
#include "harness/native_side.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "harness/system_error.h"

namespace gilbench::harness {
namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// One pipe between a VM worker and the native side. The VM's end blocks (the worker's os.read
// and os.write wait in the kernel with the GIL released); the native end does not (its thread
// only ever waits in poll, where a cancel reaches it). The native end may be closed early, from
// its thread, to tell the VM side that nothing more will come.
class Pipe {
 public:
  Pipe() = default;
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    CloseNative();
    if (vm_fd_ >= 0) close(vm_fd_);
  }

  // to_vm: the native side writes and the VM reads; otherwise the other way round.
  bool Open(bool to_vm, std::string* error) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return SystemError("pipe", error);
    vm_fd_ = to_vm ? fds[0] : fds[1];
    const int native = to_vm ? fds[1] : fds[0];
    native_fd_ = native;
    if (fcntl(native, F_SETFL, O_NONBLOCK) != 0) return SystemError("fcntl", error);
    return true;
  }
  int vm_fd() const { return vm_fd_; }
  int native_fd() const { return native_fd_.load(); }
  void CloseNative() {
    const int fd = native_fd_.exchange(-1);
    if (fd >= 0) close(fd);
  }

 private:
  int vm_fd_ = -1;
  std::atomic<int> native_fd_{-1};
};

// Stop's signal to the native threads: an eventfd that stays readable once written.
class Cancel {
 public:
  ~Cancel() {
    if (fd_ >= 0) close(fd_);
  }
  bool Open(std::string* error) {
    fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd_ >= 0 || SystemError("eventfd", error);
  }
  void Fire() {
    const uint64_t one = 1;
    if (write(fd_, &one, sizeof one) < 0) {
      // Only EAGAIN (the counter is already huge) is possible: it is readable either way.
    }
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

enum class Waited { kReady, kTimeout, kCancelled };

// Waits until `fd` has `events` (fd < 0: waits for the deadline alone), the deadline passes, or
// `cancel` fires -- in that order of precedence.
Waited WaitFor(int fd, short events, const Cancel& cancel, Clock::time_point deadline) {
  while (true) {
    pollfd fds[2] = {{cancel.fd(), POLLIN, 0}, {fd, events, 0}};
    int timeout_ms = -1;
    if (deadline != Clock::time_point::max()) {
      const auto left = deadline - Clock::now();
      if (left <= Clock::duration::zero()) return Waited::kTimeout;
      // Round up: poll's millisecond resolution must not turn a short wait into a spin.
      timeout_ms =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1);
    }
    const int ready = poll(fds, fd >= 0 ? 2 : 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    // What the fd has beats a cancel: the VM side's last answer may arrive just as its worker
    // returns and Stop fires, and it must still be read.
    if (fd >= 0 && (fds[1].revents & events) != 0) return Waited::kReady;
    if (fds[0].revents != 0) return Waited::kCancelled;
    if (ready > 0) return Waited::kReady;  // POLLHUP or POLLERR: the caller's read or write sees it
    if (ready < 0) return Waited::kCancelled;  // cannot wait: give up as if cancelled
  }
}

// Reads whatever is there without blocking; the bytes read (0 when none or at EOF).
size_t ReadAvailable(int fd, char* buffer, size_t size) {
  while (true) {
    const ssize_t n = read(fd, buffer, size);
    if (n < 0 && errno == EINTR) continue;
    return n > 0 ? static_cast<size_t>(n) : 0;
  }
}

// Reads and counts everything readable now (the drains after a cancel).
int64_t DrainNow(int fd) {
  char buffer[65536];
  int64_t total = 0;
  for (size_t n; fd >= 0 && (n = ReadAvailable(fd, buffer, sizeof buffer)) > 0;) {
    total += static_cast<int64_t>(n);
  }
  return total;
}

// Writes all of `data`, waiting for room; false when cancelled or the pipe broke.
bool WriteAll(int fd, const char* data, size_t size, const Cancel& cancel) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return false;
    if (WaitFor(fd, POLLOUT, cancel, Clock::time_point::max()) != Waited::kReady) return false;
  }
  return true;
}

// Reads exactly `size` bytes, waiting for them; false when cancelled or at EOF.
bool ReadExactly(int fd, char* data, size_t size, const Cancel& cancel) {
  while (size > 0) {
    const ssize_t n = read(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return false;
    if (WaitFor(fd, POLLIN, cancel, Clock::time_point::max()) != Waited::kReady) return false;
  }
  return true;
}

// latency and bandwidth: one client talking to the VM's echo(rfd, wfd) through two pipes. It
// sends 16-byte messages (io_trio.py's MESSAGE_SIZE: "M" and a sequence number; "Q" for the
// last), never more than one outstanding, and times each round trip. Paced (latency), a message
// goes every interval -- at once when the answer came after the next tick; unpaced (bandwidth),
// as soon as the answer is in. After duration_ms the client sends the last message and waits for
// its answer: the echo then returns how many it answered, which must be how many were sent.
class EchoClient : public NativeSide {
 public:
  EchoClient(const WorkloadJob& job, bool paced)
      : duration_(std::chrono::milliseconds(job.duration_ms)),
        interval_(std::chrono::microseconds(job.interval_us)),
        paced_(paced) {}
  ~EchoClient() override { EchoClient::Stop(); }

  bool Prepare(std::string* error) override {
    return cancel_.Open(error) && request_.Open(/*to_vm=*/true, error) &&
           reply_.Open(/*to_vm=*/false, error);
  }
  std::vector<std::vector<int64_t>> FdArgs() const override {
    return {{request_.vm_fd(), reply_.vm_fd()}};
  }
  std::vector<int> NativeFds() const override { return {request_.native_fd(), reply_.native_fd()}; }
  void Start() override {
    thread_ = std::thread([this] { Serve(); });
  }
  void Stop() override {
    if (!thread_.joinable()) return;
    cancel_.Fire();
    thread_.join();
  }
  bool Finish(IoFigures* io, int64_t* expected_result, std::string* error) override {
    if (!failure_.empty()) {
      *error = failure_;
      return false;
    }
    *io = figures_;
    *expected_result = sent_;
    return true;
  }

 private:
  static constexpr size_t kMessageSize = 16;

  // One message and its answer; false (with failure_ set) when the exchange failed.
  bool RoundTrip(char kind, int64_t sequence) {
    char message[kMessageSize] = {};
    message[0] = kind;
    std::memcpy(message + 1, &sequence, sizeof sequence);
    if (!WriteAll(request_.native_fd(), message, sizeof message, cancel_)) {
      return Fail("could not send message " + std::to_string(sequence));
    }
    char answer[kMessageSize];
    if (!ReadExactly(reply_.native_fd(), answer, sizeof answer, cancel_)) {
      return Fail("no answer to message " + std::to_string(sequence) +
                  " (the VM's echo stopped answering)");
    }
    if (std::memcmp(message, answer, sizeof message) != 0) {
      return Fail("the answer to message " + std::to_string(sequence) + " differs from it");
    }
    ++sent_;
    return true;
  }

  bool Fail(const std::string& why) {
    failure_ = "native echo client: " + why;
    request_.CloseNative();  // the echo, if still reading, sees EOF and returns
    return false;
  }

  void Serve() {
    const Clock::time_point start = Clock::now();
    const Clock::time_point end = start + duration_;
    Clock::time_point next = start;
    int64_t sequence = 0;
    Clock::time_point last_answer = start;
    while (Clock::now() < end) {
      if (paced_ && WaitFor(-1, 0, cancel_, next) == Waited::kCancelled) {
        Fail("cancelled before message " + std::to_string(sequence));
        return;
      }
      const Clock::time_point sent_at = Clock::now();
      if (!RoundTrip('M', sequence++)) return;
      last_answer = Clock::now();
      if (paced_) {
        figures_.latency_us.push_back(Micros(last_answer - sent_at));
        next = std::max(next + interval_, last_answer);
      } else {
        ++figures_.ops;
      }
    }
    if (!paced_) figures_.seconds = Seconds(last_answer - start);
    RoundTrip('Q', sequence);
  }

  const Clock::duration duration_;
  const Clock::duration interval_;
  const bool paced_;
  Cancel cancel_;
  Pipe request_;  // client -> echo
  Pipe reply_;    // echo -> client
  std::thread thread_;
  // Written by the client thread, read after it was joined.
  IoFigures figures_;
  int64_t sent_ = 0;
  std::string failure_;
};

// convoy: drains the pipe the VM's writer(wfd, ms) writes one byte per call to. Counts the
// bytes (the writer must have made exactly that many writes) and when the last one came: the
// writes per second are over that span.
class Drainer : public NativeSide {
 public:
  ~Drainer() override { Drainer::Stop(); }

  bool Prepare(std::string* error) override {
    return cancel_.Open(error) && pipe_.Open(/*to_vm=*/false, error);
  }
  std::vector<std::vector<int64_t>> FdArgs() const override { return {{pipe_.vm_fd()}}; }
  std::vector<int> NativeFds() const override { return {pipe_.native_fd()}; }
  void Start() override {
    start_ = Clock::now();
    last_ = start_;
    thread_ = std::thread([this] { Serve(); });
  }
  void Stop() override {
    if (!thread_.joinable()) return;
    cancel_.Fire();
    thread_.join();
  }
  bool Finish(IoFigures* io, int64_t* expected_result, std::string*) override {
    io->ops = bytes_;
    io->seconds = bytes_ > 0 ? Seconds(last_ - start_) : 0;
    *expected_result = bytes_;
    return true;
  }

 private:
  void Serve() {
    char buffer[65536];
    while (WaitFor(pipe_.native_fd(), POLLIN, cancel_, Clock::time_point::max()) ==
           Waited::kReady) {
      const size_t n = ReadAvailable(pipe_.native_fd(), buffer, sizeof buffer);
      if (n == 0) continue;  // spurious wake-up (the VM end never closes: the harness owns it)
      bytes_ += static_cast<int64_t>(n);
      last_ = Clock::now();
    }
    // The writer has finished: what it wrote last may still be in the pipe.
    const int64_t rest = DrainNow(pipe_.native_fd());
    if (rest > 0) {
      bytes_ += rest;
      last_ = Clock::now();
    }
  }

  Cancel cancel_;
  Pipe pipe_;
  std::thread thread_;
  Clock::time_point start_;
  Clock::time_point last_;  // when the last byte came (read after the join)
  int64_t bytes_ = 0;
};

// pipe_io: per worker, a device that produces `count` messages of `size` bytes into the
// worker's input pipe, one every `interval` on an absolute schedule, and drains the worker's
// output pipe. A worker that serves several devices' worth of messages (seq) waits for each in
// turn; n workers with n devices wait in parallel, the GIL released in their os.read.
class PipeFeeders : public NativeSide {
 public:
  PipeFeeders(const WorkloadJob& job, int workers)
      : interval_(std::chrono::microseconds(job.interval_us)), size_(job.message_size) {
    for (const std::vector<std::vector<int64_t>>& part : Split(job, workers)) {
      devices_.push_back(std::make_unique<Device>());
      devices_.back()->count = part.empty() ? 0 : part[0][0];
    }
  }
  ~PipeFeeders() override { PipeFeeders::Stop(); }

  bool Prepare(std::string* error) override {
    if (!cancel_.Open(error)) return false;
    for (auto& device : devices_) {
      if (!device->input.Open(/*to_vm=*/true, error) ||
          !device->output.Open(/*to_vm=*/false, error)) {
        return false;
      }
    }
    return true;
  }
  std::vector<std::vector<int64_t>> FdArgs() const override {
    std::vector<std::vector<int64_t>> args;
    for (const auto& device : devices_) {
      args.push_back({device->input.vm_fd(), device->output.vm_fd()});
    }
    return args;
  }
  std::vector<int> NativeFds() const override {
    std::vector<int> fds;
    for (const auto& device : devices_) {
      fds.push_back(device->input.native_fd());
      fds.push_back(device->output.native_fd());
    }
    return fds;
  }
  void Start() override {
    const Clock::time_point start = Clock::now();
    for (auto& device : devices_) {
      Device* d = device.get();
      threads_.emplace_back([this, d, start] { Serve(d, start); });
    }
  }
  void Stop() override {
    if (threads_.empty()) return;
    cancel_.Fire();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }
  bool Finish(IoFigures*, int64_t* expected_result, std::string* error) override {
    int64_t total = 0;
    for (size_t i = 0; i < devices_.size(); ++i) {
      const Device& d = *devices_[i];
      if (d.received != d.count * size_) {
        *error = "native device " + std::to_string(i) + ": got back " + std::to_string(d.received) +
                 " of " + std::to_string(d.count * size_) + " bytes (" + std::to_string(d.sent) +
                 " of " + std::to_string(d.count) + " messages sent)";
        return false;
      }
      total += d.received;
    }
    *expected_result = total;
    return true;
  }

 private:
  struct Device {
    int64_t count = 0;
    Pipe input;   // device -> relay
    Pipe output;  // relay -> device
    // Written by the device's thread, read after the join.
    int64_t sent = 0;
    int64_t received = 0;
  };

  void Serve(Device* d, Clock::time_point start) {
    std::vector<char> message(static_cast<size_t>(size_), 'm');
    std::vector<char> buffer(65536);
    Clock::time_point next = start;
    const int64_t want = d->count * size_;
    while (d->sent < d->count || d->received < want) {
      const bool due = d->sent < d->count && Clock::now() >= next;
      if (due) {
        if (!WriteAll(d->input.native_fd(), message.data(), message.size(), cancel_)) break;
        ++d->sent;
        next += interval_;
        continue;
      }
      // Wait for the relay's output, or until the next message is due.
      const Clock::time_point until = d->sent < d->count ? next : Clock::time_point::max();
      const Waited waited = WaitFor(d->output.native_fd(), POLLIN, cancel_, until);
      if (waited == Waited::kCancelled) break;
      if (waited == Waited::kReady) {
        d->received += static_cast<int64_t>(
            ReadAvailable(d->output.native_fd(), buffer.data(), buffer.size()));
      }
    }
    d->received += DrainNow(d->output.native_fd());
    d->input.CloseNative();  // a relay still reading sees EOF and returns what it relayed
  }

  const Clock::duration interval_;
  const int64_t size_;
  Cancel cancel_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::thread> threads_;
};

}  // namespace

std::unique_ptr<NativeSide> MakeNativeSide(const WorkloadJob& job, int workers) {
  switch (job.native) {
    case NativeKind::kNone:
      return nullptr;
    case NativeKind::kPipeFeeders:
      return std::make_unique<PipeFeeders>(job, workers);
    case NativeKind::kLatencyClient:
      return std::make_unique<EchoClient>(job, /*paced=*/true);
    case NativeKind::kBandwidthClient:
      return std::make_unique<EchoClient>(job, /*paced=*/false);
    case NativeKind::kDrainer:
      return std::make_unique<Drainer>();
  }
  return nullptr;
}

}  // namespace gilbench::harness
