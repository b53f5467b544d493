# Moved from unsupported/: list comprehensions are supported now.
squares = [i * i for i in range(10)]
print(squares)
