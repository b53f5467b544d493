# Checks augmented assignment += -= *= /= //= %= on names and on subscripts.
x = 10
x += 5
print(x)
x -= 3
print(x)
x *= 4
print(x)
x //= 5
print(x)
x %= 4
print(x)
x /= 2
print(x)
y = -7
y //= 2
print(y)
y = -7
y %= 3
print(y)
s = "ab"
s += "cd"
s *= 2
print(s)
xs = [1]
xs += [2, 3]
print(xs)
total = [0]
for i in range(10):
    total[0] += i
print(total)
v = [100, 7.5, 9, -9]
v[0] -= 1
v[1] *= 2
v[2] /= 2
v[3] //= 2
v[-1] %= 5
print(v)
t = [1, 2]
t[0] += t[1]
t[1] -= t[0] * 10
print(t)
f = 1.5
f += 1
f //= 1
print(f)
