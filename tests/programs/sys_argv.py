# Checks sys.argv holds just the script name when run without arguments.
import sys
print(len(sys.argv))
args = sys.argv[1:]
print(args, len(args))
print(len(sys.argv) == 1)
