#!/usr/bin/python3
"""gilvm under resource limits, against CPython as the oracle where CPython can run the case: what
the differential corpus cannot set up, because it needs a limit on the process or a huge input.

    resource_limits_test.py CASE /path/to/gilvm [--sanitized]

Cases:
  memory_error_in_main      a MemoryError in the main thread (RLIMIT_AS): its traceback, status 1
  memory_error_in_thread    a MemoryError in a thread: the thread's traceback, the program goes on
  thread_start_refused      the OS refuses a thread (RLIMIT_STACK of 1 TiB: no stack can be
                            mapped): start() raises RuntimeError: can't start new thread
  compile_out_of_memory     a function returning a 2-million-item list under RLIMIT_AS of 100 MB:
                            "MemoryError", status 1, nothing run (gilvm only: CPython's compiler
                            needs other amounts)
  compile_in_bounded_memory a 20 MB module compiles under RLIMIT_AS of 300 MB (about 15 bytes per
                            source byte) and runs
  function_in_bounded_memory  a 20 MB function body compiles under RLIMIT_AS of 300 MB and runs
  block_in_bounded_memory   a 20 MB `if True:` body compiles under RLIMIT_AS of 300 MB and runs
  compile_many_names        65,535 locals in a function and 65,535 globals compile and run, and
                            65,536 locals are a clean SyntaxError (the limit of 16-bit operands)

The RLIMIT_AS cases need an unsanitized build (AddressSanitizer and ThreadSanitizer reserve
terabytes of address space): with --sanitized they are skipped (exit status 77).
Exit status 0 pass, 1 fail, 2 bad usage, 77 skipped.
"""
import os
import resource
import subprocess
import sys
import tempfile

PYTHON = "/usr/bin/python3"
TIMEOUT_S = 110
SKIPPED = 77
MIB = 1 << 20


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def child_env():
    """Both interpreters' environment: check_program.py's (no PYTHON* variable, UTF-8 stdio)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def limit(which, value):
    """A preexec_fn that sets the soft limit `which` (the hard one as well when it is lower)."""
    def set_limit():
        hard = resource.getrlimit(which)[1]
        if hard != resource.RLIM_INFINITY and hard < value:
            hard = value
        resource.setrlimit(which, (value, hard))
    return set_limit


def run(argv, cwd, preexec_fn=None):
    """Runs argv; returns (status, stdout text, stderr text)."""
    proc = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=child_env(), preexec_fn=preexec_fn,
                          timeout=TIMEOUT_S)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def last_line(stderr):
    lines = [line.rstrip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def compare(what, oracle, vm):
    """Checks gilvm's (status, stdout, last stderr line) against CPython's."""
    check(oracle[0] == vm[0], "%s: exit status: python3 %s, gilvm %s\n%s" %
          (what, oracle[0], vm[0], vm[2]))
    check(oracle[1] == vm[1], "%s: stdout: python3 %r, gilvm %r" % (what, oracle[1], vm[1]))
    want, got = last_line(oracle[2]), last_line(vm[2])
    check(want == got, "%s: last stderr line: python3 %r, gilvm %r\n%s" % (what, want, got, vm[2]))


def write_program(folder, name, text):
    with open(os.path.join(folder, name), "w") as f:
        f.write(text)
    return name


def both(gilvm, folder, name, preexec_fn):
    """Runs `python3 name` and `gilvm name` alike in folder; returns (oracle, vm)."""
    return (run([PYTHON, name], folder, preexec_fn),
            run([gilvm, name], folder, preexec_fn))


# 1 GiB is far more than either interpreter needs to start, far less than the lists below.
MEMORY_LIMIT = limit(resource.RLIMIT_AS, 1024 * MIB)


def memory_error_in_main(gilvm, folder):
    name = write_program(folder, "main_hog.py", """
print("before")
xs = [1] * 1000
s = "ab" * (10 ** 9)
print("never")
""")
    oracle, vm = both(gilvm, folder, name, MEMORY_LIMIT)
    compare("MemoryError in the main thread", oracle, vm)
    check(vm[0] == 1 and last_line(vm[2]) == "MemoryError", "expected MemoryError: %r" % (vm,))
    check('line 4, in <module>' in vm[2], "no traceback to line 4:\n" + vm[2])


def memory_error_in_thread(gilvm, folder):
    name = write_program(folder, "thread_hog.py", """
import threading
def hog(n):
    xs = [0] * n
    print("never", len(xs))
t = threading.Thread(target=hog, args=(10 ** 9,))
t.start()
t.join()
print("the main thread goes on")
print(len([1] * 1000))
""")
    oracle, vm = both(gilvm, folder, name, MEMORY_LIMIT)
    compare("MemoryError in a thread", oracle, vm)
    check(vm[0] == 0 and last_line(vm[2]) == "MemoryError", "expected MemoryError: %r" % (vm,))
    check("Exception in thread Thread-1 (hog):" in vm[2], "no thread header:\n" + vm[2])


def thread_start_refused(gilvm, folder):
    # A thread's stack is as large as the soft RLIMIT_STACK: 1 TiB cannot be mapped, so
    # pthread_create fails with EAGAIN -- for root too, unlike RLIMIT_NPROC.
    name = write_program(folder, "thread_refused.py", """
import threading
def f():
    print("never")
t = threading.Thread(target=f)
print("before", threading.active_count())
t.start()
print("never")
""")
    oracle, vm = both(gilvm, folder, name, limit(resource.RLIMIT_STACK, 1 << 40))
    compare("thread start refused", oracle, vm)
    check(last_line(vm[2]) == "RuntimeError: can't start new thread", "got %r" % (vm,))


def compile_out_of_memory(gilvm, folder):
    # A block stays encoded until it compiles (a few bytes per source byte, see
    # function_in_bounded_memory), but one statement is a syntax tree while it is parsed: about 70
    # bytes per source byte for a list display. A 6 MB statement needs 400 MB; under 100 MB, well
    # above what gilvm needs to start and read it (under 50 MB), it runs out while compiling, after
    # about a megabyte of it (a second in a debug build).
    with open(os.path.join(folder, "huge_function.py"), "w") as f:
        f.write('print("never")\ndef f():\n    return [')
        f.write("0, " * (2 * MIB))
        f.write("0]\n")
    vm = run([gilvm, "huge_function.py"], folder, limit(resource.RLIMIT_AS, 100 * MIB))
    check(vm[0] == 1, "exit status %s, expected 1\n%s" % (vm[0], vm[2]))
    check(vm[1] == "", "the program ran: %r" % vm[1])
    check(vm[2] == "MemoryError\n", "stderr: %r" % vm[2][-500:])


def compile_in_bounded_memory(gilvm, folder):
    with open(os.path.join(folder, "huge_module.py"), "w") as f:
        f.write("x = 1\n" * (20 * MIB // 6))
        f.write("print(x + 1)\n")
    vm = run([gilvm, "huge_module.py"], folder, limit(resource.RLIMIT_AS, 300 * MIB))
    check(vm == (0, "2\n", ""), "expected status 0 and 2, got %r" % ((vm[0], vm[1], vm[2][-500:]),))


def block_compiles_in_bounded_memory(gilvm, folder, header, tail):
    """A 20 MB block under `header`, then `tail`, compiles and runs under RLIMIT_AS of 300 MB (it
    needs about 215 MB; its syntax tree would need two gigabytes)."""
    with open(os.path.join(folder, "huge_block.py"), "w") as f:
        f.write(header)
        f.write("    x = 1\n" * (20 * MIB // 10))
        f.write(tail)
    vm = run([gilvm, "huge_block.py"], folder, limit(resource.RLIMIT_AS, 300 * MIB))
    check(vm == (0, "2\n", ""), "expected status 0 and 2, got %r" % ((vm[0], vm[1], vm[2][-500:]),))


def function_in_bounded_memory(gilvm, folder):
    block_compiles_in_bounded_memory(gilvm, folder, "def f():\n", "    return x + 1\nprint(f())\n")


def block_in_bounded_memory(gilvm, folder):
    block_compiles_in_bounded_memory(gilvm, folder, "if True:\n", "print(x + 1)\n")


def compile_many_names(gilvm, folder):
    # Values mod 1000: a code object holds at most 65,535 constants too.
    n = 65535
    lines = ["def f():"] + ["    v%d = %d" % (i, i % 1000) for i in range(n)]
    lines += ["    return v%d + v%d" % (n - 1, n - 2)]
    lines += ["g%d = %d" % (i, i % 1000) for i in range(n - 2)]  # and f, print: 65,535 globals
    lines += ["print(f(), g%d)" % (n - 3)]
    write_program(folder, "many_names.py", "\n".join(lines) + "\n")
    vm = run([gilvm, "many_names.py"], folder)
    expected = "%d %d\n" % ((n - 1) % 1000 + (n - 2) % 1000, (n - 3) % 1000)
    check(vm == (0, expected, ""), "many names: %r" % ((vm[0], vm[1], vm[2][-500:]),))
    lines = ["def f():"] + ["    v%d = 1" % i for i in range(n + 1)] + ["print('never')"]
    write_program(folder, "too_many_locals.py", "\n".join(lines) + "\n")
    vm = run([gilvm, "too_many_locals.py"], folder)
    check(vm[0] == 1 and vm[1] == "" and last_line(vm[2]) == "SyntaxError: too many local variables",
          "too many locals: %r" % ((vm[0], vm[1], vm[2][-500:]),))


CASES = {
    "memory_error_in_main": (memory_error_in_main, True),
    "memory_error_in_thread": (memory_error_in_thread, True),
    "thread_start_refused": (thread_start_refused, False),
    "compile_out_of_memory": (compile_out_of_memory, True),
    "compile_in_bounded_memory": (compile_in_bounded_memory, True),
    "function_in_bounded_memory": (function_in_bounded_memory, True),
    "block_in_bounded_memory": (block_in_bounded_memory, True),
    "compile_many_names": (compile_many_names, False),
}


def main(argv):
    args = argv[1:]
    sanitized = "--sanitized" in args
    args = [a for a in args if a != "--sanitized"]
    if len(args) != 2 or args[0] not in CASES:
        sys.stderr.write(__doc__)
        return 2
    case, needs_address_limit = CASES[args[0]]
    if needs_address_limit and sanitized:
        print("SKIP %s: a sanitizer's shadow memory does not fit under RLIMIT_AS" % args[0])
        return SKIPPED
    with tempfile.TemporaryDirectory() as folder:
        try:
            case(os.path.abspath(args[1]), folder)
        except Failure as e:
            print("FAIL %s: %s" % (args[0], e))
            return 1
    print("PASS %s" % args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
