class C:
    pass
print("start")
C().x
