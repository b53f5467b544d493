class Box:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v


boxes = []
for i in range(5):
    boxes.append(Box(i * i))
total = 0
for b in boxes:
    total += b.get()
print(total, boxes[3].v)
