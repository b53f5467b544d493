# Checks sys.getswitchinterval / setswitchinterval round trips.
import sys
old = sys.getswitchinterval()
print(old > 0)
sys.setswitchinterval(0.001)
print(sys.getswitchinterval())
sys.setswitchinterval(0.01)
print(sys.getswitchinterval())
sys.setswitchinterval(0.0002)
print(sys.getswitchinterval() > 0, sys.getswitchinterval() < 0.001)
print(sys.setswitchinterval(0.005))
print(sys.getswitchinterval())
