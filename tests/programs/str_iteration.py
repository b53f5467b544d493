# Checks iterating over str by for, list(str), counting characters and building strings.
s = "hello"
for ch in s:
    print(ch)
print(list(s), list(""))
count = 0
for ch in "mississippi":
    if ch == "s":
        count += 1
print(count)
vowels = ""
for ch in "programming language":
    if ch in "aeiou":
        vowels += ch
print(vowels)
print(tuple("ab"))
chars = list("xyz")
chars.append("!")
print("".join(chars))
n = 0
for ch in "":
    n += 1
print(n)
print(max("hello"), min("hello"))
