import sys
try:
    sys.exit(4)
except SystemExit as e:
    print("exit code", e.code)
try:
    raise SystemExit("bye")
except SystemExit as e:
    print("message", e.code, e.args)
try:
    sys.exit()
except SystemExit as e:
    print("none", e.code)
try:
    sys.exit(2)
except Exception:
    print("not an Exception")
except BaseException:
    print("a BaseException")
sys.exit(7)
