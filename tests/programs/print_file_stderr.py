# print to sys.stderr and sys.stdout with sep, end and flush; the streams' write and flush.
import sys
print("a", "b", sep="-", end="!\n", file=sys.stderr)
print("out", flush=True)
print("x", file=None)
print("y", 1, 2.5, sep=", ", file=sys.stdout)
print(sys.stdout, sys.stderr)
n = sys.stdout.write("hello\n")
print(n, sys.stdout.write(""), sys.stdout.write("héllo"))
sys.stderr.write("err line\n")
sys.stdout.flush()
print("", end="", file=sys.stderr)
print(file=sys.stderr)
print("last", file=sys.stderr)
