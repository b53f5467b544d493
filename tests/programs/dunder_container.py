class Grid:
    def __init__(self):
        self.cells = {}

    def __getitem__(self, key):
        return self.cells.get(key, 0)

    def __setitem__(self, key, value):
        self.cells[key] = value

    def __delitem__(self, key):
        del self.cells[key]

    def __contains__(self, key):
        return key in self.cells

    def __len__(self):
        return len(self.cells)


g = Grid()
g[1, 2] = 5
g[0, 0] = 1
print(g[1, 2], g[3, 3], (1, 2) in g, (3, 3) in g, len(g))
del g[0, 0]
print(len(g), (0, 0) in g)
g[1, 2] += 10
print(g[1, 2])
