xs = []
xs.insert(0, 1)
print(xs)
xs.insert(1)
