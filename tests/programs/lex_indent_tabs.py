# Checks indentation made of tabs only, including nested blocks and dedents.
def f(n):
	total = 0
	for i in range(n):
		if i % 2 == 0:
			total += i
		else:
			total -= 1
	return total
print(f(10))
for k in range(3):
	if k == 1:
		print("one")
	else:
		print("not one", k)
x = 5
while x > 0:
	x -= 2
	if x < 2:
		break
print(x)
