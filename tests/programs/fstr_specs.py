# Checks f-string format specs d, f, .Nf, >N, <N and , on ints, floats and strs.
n = 1234567
x = 3.14159265
s = "ab"
print(f"{n:d}|{-n:d}|{0:d}")
print(f"{x:f}|{-x:f}|{2.5:f}|{1e10:f}")
print(f"{x:.2f}|{x:.0f}|{x:.5f}|{2.675:.2f}|{0.5:.0f}|{1.5:.0f}")
print(f"{7:.3f}|{-0.0001:.2f}")
print(f"[{s:>6}]|[{s:<6}]|[{s:>1}]|[{s:<2}]")
print(f"[{n:>10}]|[{n:<10}]|[{x:>10}]|[{x:<12}]")
print(f"{n:,}|{1000:,}|{999:,}|{-1234567:,}|{0:,}")
print(f"{1234567.891:,}")
print(f"[{True:>5}]")
print(f"[{'right':>8}][{'left':<8}]")
for v in [1, 22, 333, 4444]:
    print(f"[{v:>6}] [{v:<6}] [{v * 1000:,}]")
for v in [0.1, 0.125, 99.999, 1e-7]:
    print(f"{v:.2f} {v:.3f} {v:f}")
