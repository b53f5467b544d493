try:
    1 / 0
except 42:
    pass
