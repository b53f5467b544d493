# Dicts have no order.
print({1: 2} == {1: 2})
print({1: 2} < {1: 3})
