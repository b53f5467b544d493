# from math import ...
from math import sqrt, pi, floor as fl
print(sqrt(16), pi * 2, fl(-0.5))
import math as m
print(m.ceil(m.e), m.gcd(10, 4))
