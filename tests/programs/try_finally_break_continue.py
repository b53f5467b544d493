for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("body", i)
    finally:
        print("finally", i)
print("after loop")
n = 0
while True:
    try:
        n += 1
        if n > 2:
            raise ValueError(n)
    finally:
        if n > 2:
            break
print("broke out, swallowing", n)
for j in range(3):
    try:
        raise KeyError(j)
    finally:
        continue
print("continue swallowed", j)
