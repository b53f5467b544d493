class C:
    y = 1
print(C.y)
C.x
