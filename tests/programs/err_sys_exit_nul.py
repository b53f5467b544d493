# Checks sys.exit with a message holding a NUL byte prints the whole message, NUL included.
import sys
print("before")
sys.exit("exit message with a \x00 NUL byte inside")
