# Checks list +, * (with aliasing of inner lists), in, not in, == and != comparisons.
a = [1, 2]
b = [3]
print(a + b, b + a, a + [], [] + [])
print(a * 3, 2 * b, a * 0, [] * 5)
print(1 in a, 3 in a, 3 not in a, [1] in [[1]], "x" in ["x", "y"])
print(a == [1, 2], a == [2, 1], a != b, [] == [], [1, 2] == [1, 2.0])
grid = [[0] * 2] * 2
grid[0][0] = 1
print(grid)
c = a + b
c.append(4)
print(a, b, c)
zeros = [0] * 5
zeros[2] = 2
print(zeros)
words = ["a"] + ["b", "c"] * 2
print(words, len(words))
print([1, [2, 3]] == [1, [2, 3]], [(1, 2)] == [(1, 2)])
x = [1, 2, 3]
y = x
x = x + [4]
print(x, y)
