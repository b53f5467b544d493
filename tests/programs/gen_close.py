def count():
    n = 0
    while True:
        yield n
        n += 1

c = count()
print(next(c), next(c))
print(c.close())
print(list(c))
print(next(c, "finished"))
fresh = count()
fresh.close()
print(list(fresh))
done = count()
for v in done:
    if v == 2:
        break
done.close()
done.close()
print("closed twice")
