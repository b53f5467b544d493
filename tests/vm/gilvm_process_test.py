#!/usr/bin/python3
"""gilvm as a process, against CPython as the oracle: what the differential corpus cannot set up
because it needs a particular stdout or script path. Each case runs gilvm and /usr/bin/python3
the same way and compares exit status, stdout and the last stderr lines (messages lose their
"gilvm: " / "/usr/bin/python3: " prefix), except where a case says why gilvm differs on purpose.

    gilvm_process_test.py CASE /path/to/gilvm

Cases: stdout into a pipe whose reader leaves (`| head -1`) or left before the start, closed at
start, on a terminal, past the file-size limit; `--dis` into a closed pipe; a directory, an
unreadable file or a missing file as the script; a NUL byte in the source.
Exit status 0 pass, 1 fail, 2 bad usage, 77 skipped (no pseudo-terminal for the terminal case).
"""
import os
import pty
import resource
import subprocess
import sys
import tempfile

PYTHON = "/usr/bin/python3"
TIMEOUT_S = 60
SKIP = 77


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def child_env():
    """Both interpreters' environment: check_program.py's (no PYTHON* variable, UTF-8 stdio)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(argv, cwd, stdout=subprocess.PIPE, preexec_fn=None):
    """Runs argv; returns (status, stdout bytes or None, stderr text). subprocess restores SIGPIPE
    to its default in the child, so a child that does not ignore it dies of it (status -13)."""
    proc = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, env=child_env(), preexec_fn=preexec_fn,
                          timeout=TIMEOUT_S)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def last_lines(stderr, n):
    """The last n non-empty stderr lines, without a leading "program: " on a message line."""
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()][-n:]
    return [line.split(": ", 1)[1] if line.startswith(("gilvm: ", PYTHON + ": ")) else line
            for line in lines]


def compare(what, oracle, vm, stderr_lines=1):
    """Checks gilvm's (status, stdout, stderr) against CPython's."""
    check(oracle[0] == vm[0], "%s: exit status: python3 %s, gilvm %s\n%s" %
          (what, oracle[0], vm[0], vm[2]))
    check(oracle[1] == vm[1], "%s: stdout: python3 %r, gilvm %r" % (what, oracle[1], vm[1]))
    want, got = last_lines(oracle[2], stderr_lines), last_lines(vm[2], stderr_lines)
    check(want == got, "%s: last stderr lines: python3 %r, gilvm %r" % (what, want, got))


def write_program(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    return path


def both(gilvm, folder, args, **kwargs):
    """Runs `python3 args` and `gilvm args` alike in folder; returns (oracle, vm)."""
    return run([PYTHON] + args, folder, **kwargs), run([gilvm] + args, folder, **kwargs)


def closed_pipe():
    """A pipe's write end whose read end is already closed: every write to it fails (EPIPE)."""
    r, w = os.pipe()
    os.close(r)
    return w


# --- stdout ---------------------------------------------------------------------------------

def case_pipe_to_head(gilvm, folder):
    """`prog.py | head -1`: the reader leaves after one line; the next flush meets a broken pipe
    and print raises BrokenPipeError (status 1), instead of SIGPIPE killing gilvm (141)."""
    write_program(folder, "many.py", "for i in range(100000):\n    print(i)\n")
    results = []
    for interpreter in (PYTHON, gilvm):
        prog = subprocess.Popen([interpreter, "many.py"], cwd=folder, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=child_env())
        head = subprocess.Popen(["head", "-1"], stdin=prog.stdout, stdout=subprocess.PIPE)
        prog.stdout.close()  # head holds the only read end now
        head_out = head.communicate(timeout=TIMEOUT_S)[0]
        err = prog.stderr.read().decode("utf-8", "replace")
        prog.stderr.close()
        results.append((prog.wait(timeout=TIMEOUT_S), head_out, err))
    compare("many.py | head -1", *results)
    check(results[1][0] == 1, "gilvm | head -1: status %s, expected 1" % results[1][0])


# Programs whose stdout is a pipe with no reader from the start: where the failure surfaces
# (a print raising BrokenPipeError, or the flush at exit: "Exception ignored", status 120)
# follows CPython's buffering of sys.stdout.
CLOSED_PIPE_PROGRAMS = [
    'print("x" * 100)',
    'print("x" * 5000)',
    'print("x" * 8191, end="")',
    'print("x" * 8191)',
    'for i in range(20000):\n    print(i)',
    'print("a", flush=True)',
    'print("x" * 100)\nprint("y" * 8100)\nprint("z" * 9000)',
    'import sys\nprint("x")\nsys.exit(3)',
    'print("x")\nx = 1 / 0',
    'print("x")\nx = 1 / 0\nprint("never")',
    'import os\nos.write(1, b"x")',
]


def case_closed_pipe(gilvm, folder):
    for number, text in enumerate(CLOSED_PIPE_PROGRAMS):
        name = "closed_pipe_%d.py" % number
        write_program(folder, name, text + "\n")
        results = []
        for interpreter in (PYTHON, gilvm):
            w = closed_pipe()
            try:
                results.append(run([interpreter, name], folder, stdout=w))
            finally:
                os.close(w)
        compare("%r into a closed pipe" % text, *results, stderr_lines=2)


def case_stdout_closed_at_start(gilvm, folder):
    """`prog.py >&-`: CPython's sys.stdout is None, so print writes nothing and exit is clean,
    while os.write(1, ...) fails with EBADF."""
    for name, text in (("closed_print.py", 'print("lost")\nprint("lost", flush=True)\n'),
                       ("closed_write.py", 'import os\nos.write(1, b"x")\n')):
        write_program(folder, name, text)
        compare(name + " >&-",
                *both(gilvm, folder, [name], stdout=None, preexec_fn=lambda: os.close(1)))


def case_file_size_limit(gilvm, folder):
    """stdout past RLIMIT_FSIZE: CPython ignores SIGXFSZ, so the write fails with EFBIG
    (OSError: [Errno 27] File too large) instead of the signal killing the process."""
    write_program(folder, "big.py", 'for i in range(10000):\n    print("x" * 10)\n')
    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    results = []
    for interpreter in (PYTHON, gilvm):
        with tempfile.TemporaryFile(dir=folder) as out:
            results.append(run([interpreter, "big.py"], folder, stdout=out,
                               preexec_fn=limit_file_size))
    compare("big.py > file under ulimit -f", *results)


def case_terminal_line_buffering(gilvm, folder):
    """On a terminal CPython's stdout is line buffered: a printed line comes out before a
    following os.write; without a newline the text waits."""
    write_program(folder, "tty.py", 'import os\nprint("printed line")\n'
                  'os.write(1, b"os.write\\n")\nprint("no newline", end="")\n'
                  'os.write(1, b" os.write again\\n")\n')
    results = []
    for interpreter in (PYTHON, gilvm):
        try:
            master, slave = pty.openpty()
        except OSError as e:
            raise Skip("no pseudo-terminal: %s" % e)
        try:
            status, _, err = run([interpreter, "tty.py"], folder, stdout=slave)
            os.close(slave)
            slave = -1
            out = b""
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the terminal's other side is closed and drained
                    break
                if not chunk:
                    break
                out += chunk
            results.append((status, out, err))
        finally:
            os.close(master)
            if slave >= 0:
                os.close(slave)
    compare("tty.py on a terminal", *results)


def case_dis_closed_pipe(gilvm, folder):
    """gilvm --dis into a pipe with no reader: an error and status 1, not death by SIGPIPE."""
    write_program(folder, "dis.py", "x = 1\n")
    w = closed_pipe()
    try:
        status, _, err = run([gilvm, "--dis", "dis.py"], folder, stdout=w)
    finally:
        os.close(w)
    check(status == 1, "--dis into a closed pipe: status %s, expected 1\n%s" % (status, err))
    want = "gilvm: cannot write to stdout: [Errno 32] Broken pipe"
    check(err.strip() == want, "--dis into a closed pipe: stderr %r, expected %r" % (err, want))


# --- the script -----------------------------------------------------------------------------

def case_directory(gilvm, folder):
    """A directory runs its __main__.py, as `python3 DIR` does, and without one is CPython's
    "can't find '__main__' module in '/abs/DIR'" (status 1) -- not an empty program."""
    os.mkdir(os.path.join(folder, "empty_dir"))
    for path in ("empty_dir", "empty_dir/", "./empty_dir"):
        compare("directory %s" % path, *both(gilvm, folder, [path]))
    app = os.path.join(folder, "app")
    os.mkdir(app)
    write_program(app, "__main__.py", 'import sys\nprint(sys.argv, __name__)\nx = 1 / 0\n')
    compare("directory with __main__.py", *both(gilvm, folder, ["app", "arg"]))


def case_missing_file(gilvm, folder):
    """A missing or unopenable script: CPython's "can't open file '/abs/path': [Errno N] ...",
    the path made absolute as CPython 3.11 makes it, status 2."""
    write_program(folder, "file.py", 'print("x")\n')
    for path in ("missing.py", "./missing.py", "file.py/"):
        compare("script %s" % path, *both(gilvm, folder, [path]))


def case_unreadable_file(gilvm, folder):
    """/proc/self/mem opens but every read fails (EIO). CPython 3.11 takes the failed read for
    the end of the file and runs an empty program (status 0); gilvm reports it as a file it
    cannot open, with status 2, rather than pass an unread script for a run."""
    status, out, err = run([gilvm, "/proc/self/mem"], folder)
    want = "gilvm: can't open file '/proc/self/mem': [Errno 5] Input/output error"
    check(status == 2 and out == b"" and err.strip() == want,
          "/proc/self/mem: status %s, stderr %r; expected 2 and %r" % (status, err, want))


def case_nul_byte(gilvm, folder):
    """A NUL byte in the source: the whole error, last line included, with the line shown up to
    the NUL, as CPython 3.12 prints it. (CPython 3.11 misreads such a file -- it ends the line
    at the NUL and glues on the next -- so its output is no oracle here.)"""
    for name, source, line, shown in (
            ("nul.py", b"print(1)\nx = 1\x00\nprint(2)\n", 2, "x = 1"),
            ("nul_string.py", b"\n'''\nmultilinestring\x00\n'''\n", 3, "multilinestring")):
        path = write_program(folder, name, source)
        status, out, err = run([gilvm, name], folder)
        want = ('  File "%s", line %d\n    %s\nSyntaxError: source code cannot contain null bytes\n'
                % (path, line, shown))
        check(status == 1 and out == b"" and err == want,
              "%s: status %s, stderr %r; expected 1 and %r" % (name, status, err, want))


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main(argv):
    if len(argv) != 3 or argv[1] not in CASES:
        sys.stderr.write(__doc__ + "\ncases: " + " ".join(sorted(CASES)) + "\n")
        return 2
    gilvm = os.path.abspath(argv[2])
    with tempfile.TemporaryDirectory() as folder:
        folder = os.path.realpath(folder)  # CPython's absolute paths use the real cwd
        try:
            CASES[argv[1]](gilvm, folder)
        except Failure as e:
            print("FAIL %s: %s" % (argv[1], e))
            return 1
        except Skip as e:
            print("SKIP %s: %s" % (argv[1], e))
            return SKIP
    print("PASS %s" % argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
