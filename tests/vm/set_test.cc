// Tests of the set table (vm/set.h): the sizes it grows to and when, where keys land, how removed
// keys leave dummies that later keys reuse, pop()'s finger, and the orders of the set algebra --
// each as CPython 3.11's setobject.c does it (the table sizes were read from sys.getsizeof).
#include "vm/set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gil/gil.h"
#include "tests/vm/interpreter_fixture.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

class SetTableTest : public test_support::InterpreterTest {
 protected:
  ~SetTableTest() override {
    for (SetObj* so : sets_) DecrefObj(so);
  }

  SetObj* Ints(std::vector<int64_t> items, ObjType type = ObjType::kSet) {
    SetObj* so = NewSet(type);
    sets_.push_back(so);
    for (int64_t i : items) EXPECT_TRUE(SetAdd(ts_, so, Value::Int(i)));
    return so;
  }
  SetObj* Keep(SetObj* so) {
    sets_.push_back(so);
    return so;
  }
  // The keys in table order, as repr shows them.
  static std::string Order(const SetObj* so) {
    return ToRepr(Value::Object(const_cast<SetObj*>(so)));
  }
  // Slot i's content: "." empty, "x" dummy, else the key.
  static std::string Slots(const SetObj* so) {
    std::string out;
    for (const SetEntry& e : so->table) {
      if (!out.empty()) out += " ";
      out += e.key.is_undefined() ? (e.hash == -1 ? "x" : ".") : ToRepr(e.key);
    }
    return out;
  }

  std::vector<SetObj*> sets_;
};

TEST_F(SetTableTest, StartsWithEightSlotsAndQuadruplesAtThreeFifthsFull) {
  SetObj* so = Ints({});
  EXPECT_EQ(so->mask + 1, 8u);
  const std::vector<std::pair<int64_t, size_t>> growth = {
      {5, 32}, {19, 128}, {77, 512}, {307, 2048}};
  int64_t added = 0;
  for (auto [at, size] : growth) {
    while (added < at - 1) ASSERT_TRUE(SetAdd(ts_, so, Value::Int(added++)));
    EXPECT_LT(so->mask + 1, size) << "before key " << at;
    ASSERT_TRUE(SetAdd(ts_, so, Value::Int(added++)));
    EXPECT_EQ(so->mask + 1, size) << "after key " << at;
  }
}

TEST_F(SetTableTest, CollidingKeysJumpInASmallTableAndProbeOnInALargeOne) {
  // 16, 8 and 0 all start at slot 0. An 8-slot table has no room for the 9 linear probes, so a
  // collision jumps to i*5 + 1 + perturb: 8 to slot 1, 0 to slot 1 and then to slot 6.
  SetObj* so = Ints({16, 8, 0});
  EXPECT_EQ(Slots(so), "16 8 . . . . 0 .");
  EXPECT_EQ(Order(so), "{16, 8, 0}");
  // In a 32-slot table a collision looks at the next slots first: 64 goes past 32, 1 ... 5.
  SetObj* large = Ints({1, 2, 3, 4, 5, 32, 64});
  EXPECT_EQ(large->mask + 1, 32u);
  EXPECT_EQ(Order(large), "{32, 1, 2, 3, 4, 5, 64}");
}

TEST_F(SetTableTest, ARemovedKeyLeavesADummyThatALaterKeyReuses) {
  SetObj* so = Ints({0, 8, 16});
  bool found;
  ASSERT_TRUE(SetDiscard(ts_, so, Value::Int(8), &found));
  EXPECT_TRUE(found);
  EXPECT_EQ(Slots(so), "0 x . . . . 16 .");
  EXPECT_EQ(so->fill, 3);
  EXPECT_EQ(so->used, 2);
  // 24 probes 0, the dummy at 1 and 16 at 6, reaches an empty slot and goes back to the dummy.
  ASSERT_TRUE(SetAdd(ts_, so, Value::Int(24)));
  EXPECT_EQ(Slots(so), "0 24 . . . . 16 .");
  EXPECT_EQ(so->fill, 3);
  // Still found past the dummy's reuse.
  ASSERT_TRUE(SetContains(ts_, so, Value::Int(16), &found));
  EXPECT_TRUE(found);
}

TEST_F(SetTableTest, AddingAKeyThatIsThereChangesNothing) {
  SetObj* so = Ints({1, 2});
  ASSERT_TRUE(SetAdd(ts_, so, Value::Float(1.0)));
  ASSERT_TRUE(SetAdd(ts_, so, Value::Bool(true)));
  EXPECT_EQ(Order(so), "{1, 2}");  // the first spelling stays
}

TEST_F(SetTableTest, PopMovesAFingerThroughTheSlots) {
  SetObj* so = Ints({3, 1, 6});
  std::string popped;
  for (int i = 0; i < 3; ++i) {
    Value v;
    ASSERT_TRUE(SetPop(ts_, so, &v));
    popped += ToRepr(v) + " ";
    Decref(v);
  }
  EXPECT_EQ(popped, "1 3 6 ");
  Value v;
  EXPECT_FALSE(SetPop(ts_, so, &v));
  EXPECT_EQ(ts_.error_type + ": " + ts_.error_message, "KeyError: 'pop from an empty set'");
}

TEST_F(SetTableTest, ClearGoesBackToEightSlots) {
  SetObj* so = Ints({});
  for (int64_t i = 0; i < 100; ++i) ASSERT_TRUE(SetAdd(ts_, so, Value::Int(i)));
  SetClear(so);
  EXPECT_EQ(so->mask + 1, 8u);
  EXPECT_EQ(so->used, 0);
  EXPECT_EQ(Order(so), "set()");
}

TEST_F(SetTableTest, ACopyIsSizedForItsKeysNotTheOriginalsDummies) {
  SetObj* so = Ints({});
  for (int64_t i = 0; i < 30; ++i) ASSERT_TRUE(SetAdd(ts_, so, Value::Int(i)));
  for (int64_t i = 0; i < 28; ++i) {
    bool found;
    ASSERT_TRUE(SetDiscard(ts_, so, Value::Int(i), &found));
  }
  EXPECT_EQ(so->mask + 1, 128u);
  SetObj* copy;
  ASSERT_TRUE(SetCopy(ts_, so, ObjType::kSet, &copy));
  Keep(copy);
  EXPECT_EQ(copy->mask + 1, 8u);
  EXPECT_EQ(Order(copy), "{28, 29}");
}

TEST_F(SetTableTest, DifferenceUpdateRebuildsATableOfDummies) {
  SetObj* so = Ints({});
  for (int64_t i = 0; i < 40; ++i) ASSERT_TRUE(SetAdd(ts_, so, Value::Int(i)));
  SetObj* most = Ints({});
  for (int64_t i = 0; i < 36; ++i) ASSERT_TRUE(SetAdd(ts_, most, Value::Int(i)));
  ASSERT_TRUE(SetDifferenceUpdate(ts_, so, Value::Object(most)));
  EXPECT_EQ(so->fill, so->used);  // more than a quarter were dummies: rebuilt without them
  EXPECT_EQ(Order(so), "{36, 37, 38, 39}");
}

TEST_F(SetTableTest, TheAlgebraBuildsItsResultsAsCPythonDoes) {
  SetObj* a = Ints({1, 9, 17});
  SetObj* b = Ints({17, 9, 2});
  auto Op = [&](BinaryOp op, SetObj* x, SetObj* y) {
    Value out;
    EXPECT_TRUE(SetOperator(ts_, op, Value::Object(x), Value::Object(y), false, &out));
    std::string text = ToRepr(out);
    Decref(out);
    return text;
  };
  // (CPython prints the same for `a | b`, ... with a and b made by these adds.)
  EXPECT_EQ(Op(BinaryOp::kBitOr, a, b), "{1, 17, 2, 9}");
  EXPECT_EQ(Op(BinaryOp::kBitAnd, a, b), "{17, 9}");  // b is walked (not larger than a)
  EXPECT_EQ(Op(BinaryOp::kSub, a, b), "{1}");
  EXPECT_EQ(Op(BinaryOp::kBitXor, a, b), "{2, 1}");  // a copy of b, then a's keys toggled
  SetObj* f = Ints({1, 2}, ObjType::kFrozenSet);
  EXPECT_EQ(Op(BinaryOp::kBitOr, f, a), "frozenset({1, 2, 17, 9})");
}

TEST_F(SetTableTest, InPlaceOperatorsChangeASetButNotAFrozenSet) {
  SetObj* s = Ints({1});
  SetObj* t = Ints({2});
  Value out;
  ASSERT_TRUE(SetOperator(ts_, BinaryOp::kBitOr, Value::Object(s), Value::Object(t), true, &out));
  EXPECT_EQ(out.o, s);
  Decref(out);
  EXPECT_EQ(Order(s), "{1, 2}");
  SetObj* f = Ints({1}, ObjType::kFrozenSet);
  ASSERT_TRUE(SetOperator(ts_, BinaryOp::kBitOr, Value::Object(f), Value::Object(t), true, &out));
  EXPECT_NE(out.o, f);
  Decref(out);
  EXPECT_EQ(Order(f), "frozenset({1})");
}

TEST_F(SetTableTest, AFoldedDisplayIsRebuiltAsCPythonsCompilerRebuildsIt) {
  // {87, 35, (2, 'b'), 56}: added in order, (2, 'b') probes past 87's slot; re-added in that
  // table's order it takes the slot first, and 87 moves (CPython prints {56, 35, 87, (2, 'b')}).
  Value tuple = MakeTuple({Value::Int(2), MakeStr("b")});
  const Value items[] = {Value::Int(87), Value::Int(35), tuple, Value::Int(56)};
  SetObj* so;
  ASSERT_TRUE(SetFromFoldedConstants(ts_, items, 4, &so));
  Keep(so);
  EXPECT_EQ(Order(so), "{56, 35, 87, (2, 'b')}");
  SetObj* plain = Ints({87, 35});
  ASSERT_TRUE(SetAdd(ts_, plain, tuple));
  ASSERT_TRUE(SetAdd(ts_, plain, Value::Int(56)));
  EXPECT_EQ(Order(plain), "{56, 35, (2, 'b'), 87}");
  Decref(tuple);
}

TEST_F(SetTableTest, ASetChangedWhileIteratedIsARuntimeError) {
  SetObj* so = Ints({1, 2});
  auto* it = new SetIterObj(so);
  Value item;
  ASSERT_EQ(SetIterNext(ts_, it, &item), SetIterStep::kItem);
  ASSERT_TRUE(SetAdd(ts_, so, Value::Int(3)));
  EXPECT_EQ(SetIterNext(ts_, it, &item), SetIterStep::kError);
  EXPECT_EQ(ts_.error_message, "Set changed size during iteration");
  DecrefObj(it);
}

}  // namespace
}  // namespace gilbench::vm
