try:
    undefined_name
except:
    print("bare caught")
try:
    raise SystemExit(3)
except:
    print("bare catches SystemExit too")
print("done")
