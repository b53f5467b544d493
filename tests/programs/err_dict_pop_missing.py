# pop() of a missing key without a default.
d = {(1, 'a'): 1}
print(d.pop((1, 'a')))
d.pop((2, 'b'))
