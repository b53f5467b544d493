# Checks subscript assignment xs[i] = v with positive and negative indexes and nested lists.
xs = [0, 1, 2, 3, 4]
xs[0] = "first"
xs[-1] = "last"
xs[2] = xs[1] + 10
print(xs)
grid = [[0, 0], [0, 0]]
grid[1][0] = 5
grid[0][-1] = 6
print(grid)
i = 3
xs[i - 1] = [i]
print(xs)
xs[len(xs) - 2] = None
print(xs)
row = grid[0]
row[0] = 9
print(grid)
counts = [0] * 5
for v in [1, 3, 3, 4, 1, 1]:
    counts[v] = counts[v] + 1
print(counts)
