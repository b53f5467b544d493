# Checks print's two buffer layers, as CPython's sys.stdout has them over a pipe: text handed down
# from the 8192-byte text layer stays in the byte layer (the fd's block size, 4096 for a pipe)
# while it fits, so an os.write overtakes it; text that does not fit goes out at once.
import os
print("x" * 100)
print("y" * 8100)
os.write(1, b"os.write: before the x line, which waits in the byte layer\n")
print("z" * 9000)
os.write(1, b"os.write: after the x, y and z lines, before z's newline\n")
