# Checks INDENT/DEDENT with spaces: varied widths, deep nesting, multi-level dedents.
x = 0
if x == 0:
  print("two")
  if x < 1:
       print("seven")
       if True:
        print("eight")
        x = x + 1
  print("back to two", x)
for i in range(3):
    for j in range(2):
            if (i + j) % 2 == 0:
                    print("even", i, j)
            else:
             print("odd", i, j)
    print("row", i)
print("top")
def f(n):
   if n > 2:
         return "big"
   elif n > 0:
         return "small"
   return "zero"
print(f(5), f(1), f(0))
while x < 4:
 x += 1
 if x == 3:
  continue
 print("while", x)
print("done", x)
