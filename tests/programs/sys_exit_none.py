# Checks sys.exit() with no argument ends the program with status 0.
import sys
print("start", end=" ")
print("end")
sys.exit()
print("not reached")
