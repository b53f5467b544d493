class Plain:
    pass


p = Plain()
r = str(p)
print(r[:28] == "<__main__.Plain object at 0x", r[-1:] == ">")
print(str(p) == str(p), str(p) == str(Plain()))
print(p == p, p != p, p == Plain(), p is p)
print(hash(p) == hash(p))
print(Plain)
