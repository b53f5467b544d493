pairs = [(i, j) for i in range(3) for j in range(i)]
print(pairs)
print([x for x in range(20) if x % 2 if x % 3])
print([[c for c in w] for w in ["ab", "cd"]])
print([a + b for a, b in [(1, 2), (3, 4)]])
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for i in range(3) for row in matrix])
print([x for x in []])
