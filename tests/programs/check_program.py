#!/usr/bin/python3
"""Differential check of one program: gilvm against CPython, the oracle.

Usage:
  check_program.py GILVM PROGRAM.py           run PROGRAM.py under /usr/bin/python3 and GILVM and
                                              compare them
  check_program.py --expect GILVM PROGRAM.py  run PROGRAM.py under GILVM only and check it against
                                              the `# expect: Type: message` line at its top
  check_program.py --gil=POLICY GILVM PROGRAM.py
                                              differential, with gilvm run under that GIL policy
                                              (a threaded program's output must not depend on it)
  check_program.py [--gil=POLICY] --arg=A ... GILVM PROGRAM.py
                                              differential, with the program given arguments A...
                                              under both interpreters (the workloads' `check`)

Both programs run in PROGRAM.py's folder with argv[0] the bare file name (so tracebacks say
File "prog.py"), stdin from /dev/null, PYTHONHASHSEED=0, and a 60 s limit (CHECK_PROGRAM_TIMEOUT
overrides it) after which the child's whole process group is killed.

Differential mode passes when stdout is byte-identical and the exit statuses are equal, and, when
either status is non-zero or CPython wrote to stderr (an exception in a thread, sys.exit("msg")),
the last non-empty stderr lines are equal. Only the last line: the traceback above it names
CPython's own files (threading.py) and shows carets that gilvm need not copy. When CPython's
stderr is a chained traceback (an exception raised while handling another, or `from` a cause),
its outline must be equal too: each exception's "Type: message" line and the lines linking them.

--expect mode passes when gilvm exits with status 1 and its last non-empty stderr line is the
expectation; an expected SyntaxError must also come before any output (stdout empty).

Exit status: 0 pass, 1 mismatch, 2 bad usage or a malformed program file.
"""

import difflib
import os
import signal
import subprocess
import sys

PYTHON = "/usr/bin/python3"
TIMEOUT_S = int(os.environ.get("CHECK_PROGRAM_TIMEOUT", "60"))  # seconds per child
EXPECT_PREFIX = "# expect:"
CONTEXT_LINK = "During handling of the above exception, another exception occurred:"
CAUSE_LINK = "The above exception was the direct cause of the following exception:"


class Run:
    """The outcome of one child process."""

    def __init__(self, argv, status, stdout, stderr, timed_out, error=None):
        self.argv = argv
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out
        self.error = error  # set when the child could not be started at all

    def last_stderr_line(self):
        for line in reversed(self.stderr.decode("utf-8", "replace").splitlines()):
            if line.strip():
                return line.rstrip()
        return ""

    def exception_chain(self):
        """A chained traceback's outline when stderr has one (else []): each exception's
        "Type: message" line and the lines that link them ("During handling of the above
        exception, ..." / "The above exception was the direct cause of ...")."""
        links = (CONTEXT_LINK, CAUSE_LINK)
        lines = self.stderr.decode("utf-8", "replace").splitlines()
        if not any(line in links for line in lines):
            return []
        return [line.rstrip() for line in lines
                if line.strip() and not line[0].isspace() and not line.startswith("Traceback")]

    def describe(self):
        if self.error:
            return "could not start: " + self.error
        if self.timed_out:
            return "killed after %d s (timeout)" % TIMEOUT_S
        return "exit status %d" % self.status


def child_env():
    """The environment for both interpreters: the caller's minus anything that changes CPython."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(argv, cwd):
    """Runs argv in cwd with a time limit; a hung child and all its descendants are killed."""
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=child_env(), start_new_session=True)
    except OSError as e:
        return Run(argv, None, b"", b"", False, error=str(e))
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
        return Run(argv, proc.returncode, out, err, False)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = proc.communicate()
        return Run(argv, proc.returncode, out, err, True)


def kill_group(proc):
    """Kills the child's whole process group (it leads its own session), not just the child."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def show_stream(title, data):
    text = data.decode("utf-8", "replace")
    print("---- %s (%d bytes) ----" % (title, len(data)))
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def report_failure(program, problems, oracle, vm):
    print("FAIL %s" % program)
    for p in problems:
        print("  " + p)
    if oracle is not None and oracle.stdout != vm.stdout:
        expected = oracle.stdout.decode("utf-8", "replace").splitlines(keepends=True)
        actual = vm.stdout.decode("utf-8", "replace").splitlines(keepends=True)
        print("---- stdout diff (--- python3, +++ gilvm) ----")
        for line in difflib.unified_diff(expected, actual, "python3", "gilvm"):
            sys.stdout.write(line if line.endswith("\n") else line + "\n  (no newline at end)\n")
    if oracle is not None:
        show_stream("python3 stderr", oracle.stderr)
    else:
        show_stream("gilvm stdout", vm.stdout)
    show_stream("gilvm stderr", vm.stderr)
    sys.stdout.flush()
    return 1


def differential(gilvm, program, gil_args=(), program_args=()):
    folder, name = os.path.split(program)
    oracle = run([PYTHON, name] + list(program_args), folder)
    vm = run([gilvm] + list(gil_args) + [name] + list(program_args), folder)
    problems = []
    for who, r in (("python3", oracle), ("gilvm", vm)):
        if r.error or r.timed_out:
            problems.append("%s: %s" % (who, r.describe()))
    if not problems:
        if oracle.status != vm.status:
            problems.append("exit status: python3 %d, gilvm %d" % (oracle.status, vm.status))
        if oracle.stdout != vm.stdout:
            problems.append("stdout differs")
        if oracle.status != 0 or vm.status != 0 or oracle.stderr.strip():
            want, got = oracle.last_stderr_line(), vm.last_stderr_line()
            if want != got:
                problems.append("last stderr line: python3 %r, gilvm %r" % (want, got))
            want, got = oracle.exception_chain(), vm.exception_chain()
            if want and want != got:
                problems.append("chained exceptions: python3 %r, gilvm %r" % (want, got))
    if problems:
        return report_failure(program, problems, oracle, vm)
    print("PASS %s (exit status %d, %d bytes of stdout)" % (program, vm.status, len(vm.stdout)))
    return 0


def read_expectation(program):
    with open(program, encoding="utf-8") as f:
        first = f.readline().strip()
    if not first.startswith(EXPECT_PREFIX):
        return None
    return first[len(EXPECT_PREFIX):].strip()


def expect(gilvm, program):
    expected = read_expectation(program)
    if not expected:
        print("%s: the first line must be '%s Type: message'" % (program, EXPECT_PREFIX))
        return 2
    folder, name = os.path.split(program)
    vm = run([gilvm, name], folder)
    problems = []
    if vm.error or vm.timed_out:
        problems.append("gilvm: " + vm.describe())
    else:
        if vm.status != 1:
            problems.append("exit status: expected 1, gilvm %d" % vm.status)
        if vm.last_stderr_line() != expected:
            problems.append("last stderr line: expected %r, gilvm %r"
                            % (expected, vm.last_stderr_line()))
        if expected.startswith("SyntaxError") and vm.stdout:
            problems.append("a compile-time error must come before any output, stdout is not empty")
    if problems:
        return report_failure(program, problems, None, vm)
    print("PASS %s (%s)" % (program, expected))
    return 0


def main(argv):
    args = argv[1:]
    expect_mode = bool(args) and args[0] == "--expect"
    if expect_mode:
        args = args[1:]
    gil_args = []
    if args and args[0].startswith("--gil="):
        gil_args = [args[0]]
        args = args[1:]
    program_args = []
    while args and args[0].startswith("--arg="):
        program_args.append(args[0][len("--arg="):])
        args = args[1:]
    if len(args) != 2 or (expect_mode and program_args):
        sys.stderr.write(__doc__)
        return 2
    gilvm = os.path.abspath(args[0])
    program = os.path.abspath(args[1])
    if not os.path.isfile(program):
        sys.stderr.write("no such program: %s\n" % program)
        return 2
    if expect_mode:
        return expect(gilvm, program)
    return differential(gilvm, program, gil_args, program_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
