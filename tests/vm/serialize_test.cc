// serialize.h: values to bytes and back, as multiprocessing sends them between processes.
#include "vm/serialize.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/vm/interpreter_fixture.h"
#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/runtime.h"

namespace gilbench::vm {
namespace {

constexpr const char* kSource = R"(
data = [1, -2, 2**62, -2**62 * 2, 3.5, -0.0, "h\u00e9llo", b"x\x00y", None, True, False, (1, (2,)),
        {"a": 1, 2: [3]}, {1, 2, "s"}, frozenset({3, (4, 5)}), range(1, 10, 2), [], (), {}]
shared = [[0]]
shared.append(shared[0])
cyc = []
cyc.append(cyc)
d = {}
d["self"] = d

class C:
    def m(self):
        return 1

inst = C()
inst.x = [1, 2]
inst.me = inst

class E(Exception):
    pass

err = ValueError("bad", 2)
err2 = E("mine")

def f():
    return 1

def outer():
    def inner():
        pass
    return inner

lam = lambda: 0
nested = outer()
gen = (i for i in [])
bound = inst.m
g = f
f = 5
)";

class SerializeTest : public ::testing::Test {
 protected:
  SerializeTest() : interp_(test_support::NewGil(), {"t.py"}) {
    std::string error;
    EXPECT_TRUE(interp_.Load(kSource, "t.py", &error)) << error;
    EXPECT_TRUE(interp_.RunModule(&error)) << error;
    ts_ = std::make_unique<ThreadState>(&interp_, interp_.main_thread());
  }
  // The module's own cycles are broken by hand: the VM has no cycle collector.
  ~SerializeTest() override {
    SeqObj* cyc = AsSeq(Global("cyc"));
    for (Value v : cyc->items) Decref(v);
    cyc->items.clear();
    DictClear(AsDict(Global("d")));
    EXPECT_TRUE(SetAttr(*ts_, Global("inst"), "me", Value::None()));
  }

  Value Global(std::string_view name) {
    for (size_t i = 0; i < interp_.global_names.size(); ++i) {
      if (interp_.global_names[i] == name) return interp_.globals[i];
    }
    ADD_FAILURE() << "no global " << name;
    return Value::None();
  }

  // Encodes and decodes `v`; a new reference.
  Value RoundTrip(Value v) {
    std::string bytes;
    EXPECT_TRUE(SerializeValue(*ts_, v, &bytes)) << ts_->error_type << ": " << ts_->error_message;
    std::string_view rest = bytes;
    Value out = Value::None();
    EXPECT_TRUE(DeserializeValue(*ts_, &rest, &out)) << ts_->error_message;
    EXPECT_TRUE(rest.empty());
    return out;
  }

  // The error serializing `v` raises, as "Type: message".
  std::string Refusal(Value v) {
    std::string bytes;
    EXPECT_FALSE(SerializeValue(*ts_, v, &bytes));
    std::string text = ts_->error_type + ": " + ts_->error_message;
    ts_->ClearError();
    return text;
  }

  Interpreter interp_;
  std::unique_ptr<ThreadState> ts_;
};

TEST_F(SerializeTest, ScalarsAndContainersComeBackEqual) {
  Value data = Global("data");
  Value back = RoundTrip(data);
  EXPECT_EQ(ToRepr(back), ToRepr(data));
  EXPECT_NE(back.o, data.o);
  Decref(back);
}

TEST_F(SerializeTest, SharedReferencesStayShared) {
  Value back = RoundTrip(Global("shared"));
  const auto& items = AsSeq(back)->items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].o, items[1].o);
  Decref(back);
}

TEST_F(SerializeTest, CyclesArePreserved) {
  Value list = RoundTrip(Global("cyc"));
  EXPECT_EQ(AsSeq(list)->items[0].o, list.o);
  EXPECT_EQ(ToRepr(list), "[[...]]");
  Value dict = RoundTrip(Global("d"));
  EXPECT_EQ(ToRepr(dict), "{'self': {...}}");
  // The VM has no cycle collector: break the cycles so the test leaks nothing.
  Decref(AsSeq(list)->items[0]);
  AsSeq(list)->items.clear();
  Decref(list);
  Value key = MakeStr("self");
  Value none = Value::None();
  EXPECT_TRUE(SetItem(*ts_, dict, key, none));
  Decref(key);
  Decref(dict);
}

TEST_F(SerializeTest, InstancesKeepClassAttributesAndSelfReference) {
  Value back = RoundTrip(Global("inst"));
  ASSERT_TRUE(IsInstanceObj(back));
  EXPECT_EQ(AsInstance(back)->cls, AsClass(Global("C")));
  Value x, me;
  ASSERT_TRUE(GetAttr(*ts_, back, "x", &x));
  EXPECT_EQ(ToRepr(x), "[1, 2]");
  ASSERT_TRUE(GetAttr(*ts_, back, "me", &me));
  EXPECT_EQ(me.o, back.o);
  Decref(x);
  Decref(me);
  ASSERT_TRUE(SetAttr(*ts_, back, "me", Value::None()));
  Decref(back);
}

TEST_F(SerializeTest, ExceptionsKeepTypeAndArgs) {
  Value back = RoundTrip(Global("err"));
  ASSERT_TRUE(IsExceptionInstance(back));
  EXPECT_EQ(AsInstance(back)->cls, ExceptionClass("ValueError"));
  std::string repr;
  ASSERT_TRUE(ReprOf(*ts_, back, &repr));
  EXPECT_EQ(repr, "ValueError('bad', 2)");
  Decref(back);
  Value mine = RoundTrip(Global("err2"));
  EXPECT_EQ(AsInstance(mine)->cls, AsClass(Global("E")));
  std::string str;
  ASSERT_TRUE(StrOf(*ts_, mine, &str));
  EXPECT_EQ(str, "mine");
  Decref(mine);
}

TEST_F(SerializeTest, FunctionsAndClassesCrossByName) {
  Value cls = RoundTrip(Global("C"));
  EXPECT_EQ(cls.o, Global("C").o);
  Decref(cls);
  Value len = RoundTrip(LookupBuiltin("len"));
  EXPECT_EQ(len.o, LookupBuiltin("len").o);
  Decref(len);
  Value bound = RoundTrip(Global("bound"));
  EXPECT_EQ(TypeName(bound), std::string("method"));
  // The copy of inst that came with it refers to itself (inst.me): break that cycle.
  Value receiver = static_cast<MethodObj*>(bound.o)->self;
  EXPECT_NE(receiver.o, Global("inst").o);
  EXPECT_TRUE(SetAttr(*ts_, receiver, "me", Value::None()));
  Decref(bound);
}

TEST_F(SerializeTest, RefusesWhatPickleRefuses) {
  EXPECT_EQ(Refusal(Global("nested")),
            "AttributeError: Can't pickle local object 'outer.<locals>.inner'");
  std::string lam = Refusal(Global("lam"));
  EXPECT_EQ(lam.rfind("_pickle.PicklingError: Can't pickle <function <lambda> at 0x", 0), 0u)
      << lam;
  EXPECT_NE(lam.find(">: attribute lookup <lambda> on __main__ failed"), std::string::npos) << lam;
  std::string g = Refusal(Global("g"));
  EXPECT_NE(g.find(": it's not the same object as __main__.f"), std::string::npos) << g;
  EXPECT_EQ(Refusal(Global("gen")), "TypeError: cannot pickle 'generator' object");
}

TEST_F(SerializeTest, CorruptInputIsAValueError) {
  std::string bytes;
  ASSERT_TRUE(SerializeValue(*ts_, Global("data"), &bytes));
  for (size_t cut : {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    std::string_view rest(bytes.data(), cut);
    Value out;
    EXPECT_FALSE(DeserializeValue(*ts_, &rest, &out)) << cut;
    EXPECT_EQ(ts_->error_type, "ValueError");
    ts_->ClearError();
  }
  std::string_view junk = "?";
  Value out;
  EXPECT_FALSE(DeserializeValue(*ts_, &junk, &out));
  ts_->ClearError();
}

}  // namespace
}  // namespace gilbench::vm
