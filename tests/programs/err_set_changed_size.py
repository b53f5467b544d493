# Adding to a set while iterating it.
s = {1, 2, 3}
for item in s:
    print(item)
    s.add(item + 10)
