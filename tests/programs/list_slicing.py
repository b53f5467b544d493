# Checks list slicing with omitted, negative and out-of-range bounds; slices are copies.
xs = [0, 1, 2, 3, 4, 5, 6, 7]
print(xs[2:5], xs[:3], xs[5:], xs[:], xs[-3:], xs[:-3], xs[-5:-2])
print(xs[0:0], xs[5:2], xs[10:20], xs[-100:2], xs[3:100])
c = xs[:]
c[0] = "changed"
print(xs[0], c[0], c is xs, c == xs)
part = xs[1:3]
part.append(99)
print(part, xs)
print(len(xs[2:6]), len(xs[8:]))
n = 3
print(xs[n:n + 2], xs[:n] + xs[n + 1:])
half = len(xs) // 2
print(xs[:half], xs[half:])
nested = [[1, 2], [3, 4], [5]]
print(nested[1:], nested[:1][0])
