class Nothing:
    pass
with Nothing():
    pass
