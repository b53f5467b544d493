# math's constants and the float functions.
import math
print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
for x in [0, 0.5, 1, 2, 10, 1e-10, 123.456, 1e300]:
    print(x, math.sqrt(x), math.exp(-x), math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.fabs(-x))
for x in [0.5, 1, 2, 8, 10, 1000, 1e-300, 2 ** 52]:
    print(x, math.log(x), math.log2(x), math.log10(x), math.log(x, 2), math.log(x, 10), math.log(x, 0.5))
print(math.exp(1), math.exp(709), math.exp(-1000), math.sqrt(2) ** 2, math.asin(1), math.acos(0), math.degrees(math.pi), math.radians(180))
print(math.atan2(1, 1), math.atan2(-1, -1), math.atan2(0, -1), math.atan2(-0.0, -1), math.hypot(3, 4), math.hypot(), math.hypot(1, 2, 2), math.hypot(math.inf, math.nan))
print(math.copysign(3, -0.0), math.copysign(-2.5, 1), math.pow(2, 10), math.pow(2, -1), math.pow(-8, 3), math.pow(0, 0), math.pow(1, math.nan), math.pow(math.inf, 2))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.expm1(1e-10), math.log1p(1e-10))
