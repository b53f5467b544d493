// The block codec: BlockWriter, the decoder, and Block's reading side. The format is described at
// the top of ast_codec.h; the mask bits below give the order of the fields.
#include "vm/ast_codec.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>

namespace gilbench::vm {

// Every field of Expr, Stmt and Keyword is encoded here. ast.h orders their fields so that they
// have no padding: these sums are their sizes until a field is added, and then the build stops
// here. A new field must be encoded in ast_codec.cc -- a mask bit, WriteHeader/PutExpr and
// Decoder, the format comment in ast_codec.h -- and then added to its sum.
static_assert(sizeof(SourcePos) == sizeof(SourcePos::line) + sizeof(SourcePos::col),
              "a new field must be encoded in ast_codec.cc");
static_assert(sizeof(Keyword) ==
                  sizeof(Keyword::name) + sizeof(Keyword::value) + sizeof(Keyword::pos),
              "a new field must be encoded in ast_codec.cc");
static_assert(sizeof(Expr) == sizeof(Expr::kind) + sizeof(Expr::pos) + sizeof(Expr::unary_op) +
                                  sizeof(Expr::binary_op) + sizeof(Expr::bool_op) +
                                  sizeof(Expr::int_value) + sizeof(Expr::float_value) +
                                  sizeof(Expr::str_value) + sizeof(Expr::compare_ops) +
                                  sizeof(Expr::left) + sizeof(Expr::right) + sizeof(Expr::operand) +
                                  sizeof(Expr::slice_lower) + sizeof(Expr::slice_upper) +
                                  sizeof(Expr::items) + sizeof(Expr::keywords),
              "a new field must be encoded in ast_codec.cc");
static_assert(sizeof(Stmt) == sizeof(Stmt::kind) + sizeof(Stmt::pos) + sizeof(Stmt::aug_op) +
                                  sizeof(Stmt::value) + sizeof(Stmt::test) + sizeof(Stmt::msg) +
                                  sizeof(Stmt::targets) + sizeof(Stmt::body) +
                                  sizeof(Stmt::orelse) + sizeof(Stmt::name) + sizeof(Stmt::params) +
                                  sizeof(Stmt::defaults) + sizeof(Stmt::module) +
                                  sizeof(Stmt::alias) + sizeof(Stmt::names) +
                                  sizeof(Stmt::aliases) + sizeof(Stmt::decorators) +
                                  sizeof(Stmt::kwonly_params) + sizeof(Stmt::kw_defaults) +
                                  sizeof(Stmt::vararg) + sizeof(Stmt::kwarg),
              "a new field must be encoded in ast_codec.cc");

namespace {

// A statement's fields, in the order they are written: the common ones in the first seven bits,
// so that most masks are one byte.
enum StmtField : uint32_t {
  kStmtValue = 1u << 0,
  kStmtTest = 1u << 1,
  kStmtTargets = 1u << 2,
  kStmtMsg = 1u << 3,
  kStmtAugOp = 1u << 4,
  kStmtName = 1u << 5,
  kStmtParams = 1u << 6,
  kStmtDefaults = 1u << 7,
  kStmtModule = 1u << 8,
  kStmtAlias = 1u << 9,
  kStmtNames = 1u << 10,
  kStmtAliases = 1u << 11,
  kStmtDecorators = 1u << 12,
  kStmtKwonlyParams = 1u << 13,
  kStmtKwDefaults = 1u << 14,
  kStmtVararg = 1u << 15,
  kStmtKwarg = 1u << 16,
};

// An expression's fields, in the order they are written.
enum ExprField : uint32_t {
  kExprStr = 1u << 0,
  kExprInt = 1u << 1,
  kExprLeft = 1u << 2,
  kExprRight = 1u << 3,
  kExprItems = 1u << 4,
  kExprBinaryOp = 1u << 5,
  kExprCompareOps = 1u << 6,
  kExprOperand = 1u << 7,
  kExprFloat = 1u << 8,
  kExprUnaryOp = 1u << 9,
  kExprBoolOp = 1u << 10,
  kExprSliceLower = 1u << 11,
  kExprSliceUpper = 1u << 12,
  kExprKeywords = 1u << 13,
};

constexpr uint8_t kNullExpr = 0xFF;
constexpr size_t kBlockHeader = 12;  // length, count, last: u32 each
// Reset keeps a buffer up to this capacity for the next statement, and gives a larger one back.
constexpr size_t kReusableCapacity = 64 * 1024;

int64_t Unzigzag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// A line or column as a varint: the int's bits, so that any int comes back (a negative one in five
// bytes; the parser makes none).
uint64_t PosBits(int value) { return static_cast<uint32_t>(value); }
int PosFromBits(uint64_t bits) { return static_cast<int>(static_cast<uint32_t>(bits)); }

bool FloatIsDefault(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits == 0;  // +0.0 only: -0.0 and NaNs are written
}

void PutU32(uint8_t* at, size_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t GetU32(const uint8_t* at) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(at[i]) << (8 * i);
  return value;
}

// Reads what BlockWriter wrote. The buffer never comes from outside the process, so the reader
// trusts it: no bounds checks beyond the debug build's asserts.
class Decoder {
 public:
  Decoder(const std::shared_ptr<const EncodedBytes>& buffer, size_t offset)
      : buffer_(buffer), data_(buffer->data()), pos_(offset) {}

  size_t offset() const { return pos_; }

  StmtPtr Statement(DecodeDepth depth);
  void SkipStatement();

 private:
  uint8_t Byte() { return data_[pos_++]; }

  uint64_t Varint() {
    uint8_t byte = data_[pos_++];
    if (byte < 0x80) return byte;  // nearly all: kinds' columns, masks, counts, line deltas
    uint64_t value = byte & 0x7F;
    for (int shift = 7;; shift += 7) {
      byte = data_[pos_++];
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) return value;
    }
  }

  std::string String() {
    size_t length = Varint();
    std::string text(reinterpret_cast<const char*>(data_ + pos_), length);
    pos_ += length;
    return text;
  }

  int Line(int parent_line) {
    return static_cast<int>(static_cast<int64_t>(parent_line) + Unzigzag(Varint()));
  }

  ExprPtr Expression(int parent_line);
  // An expression the statement evaluates: decoded when `whole`, else stepped over (null).
  ExprPtr Evaluated(bool whole, int parent_line) {
    if (whole) return Expression(parent_line);
    SkipExpression();
    return nullptr;
  }
  void Expressions(std::vector<ExprPtr>* items, int line);
  void Strings(std::vector<std::string>* texts);
  Block ReadBlock();
  void SkipVarints(size_t n) {
    for (size_t i = 0; i < n; ++i) Varint();
  }
  void SkipBytes(size_t n) { pos_ += n; }
  void SkipString() { SkipBytes(Varint()); }
  void SkipStrings() {
    for (size_t n = Varint(); n > 0; --n) SkipString();
  }
  void SkipExpression();
  void SkipExpressions() {
    for (size_t n = Varint(); n > 0; --n) SkipExpression();
  }
  void SkipBlock() { pos_ += kBlockHeader + GetU32(data_ + pos_); }

  const std::shared_ptr<const EncodedBytes>& buffer_;
  const uint8_t* data_;
  size_t pos_;
};

StmtPtr Decoder::Statement(DecodeDepth depth) {
  auto kind = static_cast<StmtKind>(Byte());
  assert(kind <= StmtKind::kWith);
  SourcePos pos;
  pos.line = PosFromBits(Varint());
  pos.col = PosFromBits(Varint());
  auto stmt = std::make_unique<Stmt>(kind, pos);
  uint64_t mask = Varint();
  bool whole = depth == DecodeDepth::kWhole;
  if (mask & kStmtValue) stmt->value = Evaluated(whole, pos.line);
  if (mask & kStmtTest) stmt->test = Evaluated(whole, pos.line);
  if (mask & kStmtTargets) Expressions(&stmt->targets, pos.line);
  if (mask & kStmtMsg) stmt->msg = Evaluated(whole, pos.line);
  if (mask & kStmtAugOp) stmt->aug_op = static_cast<BinaryOp>(Varint());
  if (mask & kStmtName) stmt->name = String();
  if (mask & kStmtParams) Strings(&stmt->params);
  if (mask & kStmtDefaults) whole ? Expressions(&stmt->defaults, pos.line) : SkipExpressions();
  if (mask & kStmtModule) stmt->module = String();
  if (mask & kStmtAlias) stmt->alias = String();
  if (mask & kStmtNames) Strings(&stmt->names);
  if (mask & kStmtAliases) Strings(&stmt->aliases);
  if (mask & kStmtDecorators) whole ? Expressions(&stmt->decorators, pos.line) : SkipExpressions();
  if (mask & kStmtKwonlyParams) Strings(&stmt->kwonly_params);
  if (mask & kStmtKwDefaults) whole ? Expressions(&stmt->kw_defaults, pos.line) : SkipExpressions();
  if (mask & kStmtVararg) stmt->vararg = String();
  if (mask & kStmtKwarg) stmt->kwarg = String();
  if (HasBlocks(kind)) {
    stmt->body = ReadBlock();
    stmt->orelse = ReadBlock();
  }
  return stmt;
}

void Decoder::SkipStatement() {
  auto kind = static_cast<StmtKind>(Byte());
  SkipVarints(2);  // line, col
  uint64_t mask = Varint();
  if (mask & kStmtValue) SkipExpression();
  if (mask & kStmtTest) SkipExpression();
  if (mask & kStmtTargets) SkipExpressions();
  if (mask & kStmtMsg) SkipExpression();
  if (mask & kStmtAugOp) Varint();
  if (mask & kStmtName) SkipString();
  if (mask & kStmtParams) SkipStrings();
  if (mask & kStmtDefaults) SkipExpressions();
  if (mask & kStmtModule) SkipString();
  if (mask & kStmtAlias) SkipString();
  if (mask & kStmtNames) SkipStrings();
  if (mask & kStmtAliases) SkipStrings();
  if (mask & kStmtDecorators) SkipExpressions();
  if (mask & kStmtKwonlyParams) SkipStrings();
  if (mask & kStmtKwDefaults) SkipExpressions();
  if (mask & kStmtVararg) SkipString();
  if (mask & kStmtKwarg) SkipString();
  if (HasBlocks(kind)) {
    SkipBlock();
    SkipBlock();
  }
}

// An expression's bytes, read in the order Expression reads them, with nothing built.
void Decoder::SkipExpression() {
  if (Byte() == kNullExpr) return;
  SkipVarints(2);  // line, col
  uint64_t mask = Varint();
  if (mask & kExprStr) SkipString();
  if (mask & kExprInt) Varint();
  if (mask & kExprLeft) SkipExpression();
  if (mask & kExprRight) SkipExpression();
  if (mask & kExprItems) SkipExpressions();
  if (mask & kExprBinaryOp) Varint();
  if (mask & kExprCompareOps) SkipBytes(Varint());
  if (mask & kExprOperand) SkipExpression();
  if (mask & kExprFloat) SkipBytes(sizeof(double));
  if (mask & kExprUnaryOp) Varint();
  if (mask & kExprBoolOp) Varint();
  if (mask & kExprSliceLower) SkipExpression();
  if (mask & kExprSliceUpper) SkipExpression();
  if (mask & kExprKeywords) {
    for (size_t n = Varint(); n > 0; --n) {
      SkipString();
      SkipVarints(2);  // line, col
      SkipExpression();
    }
  }
}

// A block's header, and a view of its statements; steps over them.
Block Decoder::ReadBlock() {
  size_t length = GetU32(data_ + pos_);
  size_t count = GetU32(data_ + pos_ + 4);
  size_t last = GetU32(data_ + pos_ + 8);
  size_t begin = pos_ + kBlockHeader;
  pos_ = begin + length;
  if (count == 0) return Block();  // holds no reference to the buffer
  return Block(buffer_, begin, begin + length, count, begin + last);
}

// Recursive like the parser that made the tree, whose depth limit (kMaxDepth) bounds this one.
ExprPtr Decoder::Expression(int parent_line) {
  uint8_t kind = Byte();
  if (kind == kNullExpr) return nullptr;
  assert(kind <= static_cast<uint8_t>(ExprKind::kStarred));
  SourcePos pos;
  pos.line = Line(parent_line);
  pos.col = PosFromBits(Varint());
  auto e = std::make_unique<Expr>(static_cast<ExprKind>(kind), pos);
  uint64_t mask = Varint();
  if (mask == 0) return e;
  if (mask & kExprStr) e->str_value = String();
  if (mask & kExprInt) e->int_value = Unzigzag(Varint());
  if (mask & kExprLeft) e->left = Expression(pos.line);
  if (mask & kExprRight) e->right = Expression(pos.line);
  if (mask & kExprItems) Expressions(&e->items, pos.line);
  if (mask & kExprBinaryOp) e->binary_op = static_cast<BinaryOp>(Varint());
  if (mask & kExprCompareOps) {
    size_t n = Varint();
    e->compare_ops.reserve(n);
    for (size_t i = 0; i < n; ++i) e->compare_ops.push_back(static_cast<CompareOp>(Byte()));
  }
  if (mask & kExprOperand) e->operand = Expression(pos.line);
  if (mask & kExprFloat) {
    std::memcpy(&e->float_value, data_ + pos_, sizeof e->float_value);
    pos_ += sizeof e->float_value;
  }
  if (mask & kExprUnaryOp) e->unary_op = static_cast<UnaryOp>(Varint());
  if (mask & kExprBoolOp) e->bool_op = static_cast<BoolOpKind>(Varint());
  if (mask & kExprSliceLower) e->slice_lower = Expression(pos.line);
  if (mask & kExprSliceUpper) e->slice_upper = Expression(pos.line);
  if (mask & kExprKeywords) {
    size_t n = Varint();
    e->keywords.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Keyword keyword;
      keyword.name = String();
      keyword.pos.line = Line(pos.line);
      keyword.pos.col = PosFromBits(Varint());
      keyword.value = Expression(pos.line);
      e->keywords.push_back(std::move(keyword));
    }
  }
  return e;
}

void Decoder::Expressions(std::vector<ExprPtr>* items, int line) {
  size_t n = Varint();
  items->reserve(n);
  for (size_t i = 0; i < n; ++i) items->push_back(Expression(line));
}

void Decoder::Strings(std::vector<std::string>* texts) {
  size_t n = Varint();
  texts->reserve(n);
  for (size_t i = 0; i < n; ++i) texts->push_back(String());
}

}  // namespace

StmtPtr DecodeStatement(const std::shared_ptr<const EncodedBytes>& buffer, size_t* offset,
                        DecodeDepth depth) {
  Decoder decoder(buffer, *offset);
  StmtPtr stmt = decoder.Statement(depth);
  *offset = decoder.offset();
  return stmt;
}

void SkipStatement(const std::shared_ptr<const EncodedBytes>& buffer, size_t* offset) {
  Decoder decoder(buffer, *offset);
  decoder.SkipStatement();
  *offset = decoder.offset();
}

StmtPtr Block::Last() const {
  if (empty()) return nullptr;
  size_t offset = last_;
  return DecodeStatement(buffer_, &offset);
}

StmtPtr Block::Reader::Next(DecodeDepth depth) {
  if (done()) return nullptr;
  StmtPtr stmt = DecodeStatement(block_.buffer_, &offset_, depth);
  ++index_;
  assert(done() ? offset_ == block_.end_ : offset_ < block_.end_);
  return stmt;
}

void Block::Reader::Skip() {
  if (done()) return;
  SkipStatement(block_.buffer_, &offset_);
  ++index_;
  assert(done() ? offset_ == block_.end_ : offset_ < block_.end_);
}

// ---------------------------------------------------------------------------------------------
// BlockWriter

void BlockWriter::Reset() {
  if (buffer_ == nullptr || buffer_.use_count() != 1 || buffer_->capacity() > kReusableCapacity) {
    auto fresh = std::make_shared<EncodedBytes>();
    bytes_ = fresh.get();
    buffer_ = std::move(fresh);
  }
  size_ = 0;
  open_.clear();
  open_.push_back(Pending{0, 0, 0});
}

// At least doubles, so that writing stays linear. The new room is not initialised: it costs no
// memory until written. The vector's size is the room, not what was written (size_).
void BlockWriter::Grow(size_t n) {
  size_t want = std::max({size_ + n, 2 * bytes_->size(), size_t{256}});
  bytes_->resize(std::max(want, bytes_->capacity()));
}

void BlockWriter::PutBytes(const void* bytes, size_t n) {
  if (n == 0) return;
  std::memcpy(Reserve(n), bytes, n);
  size_ += n;
}

void BlockWriter::Write(const Stmt& s) {
  WriteHeader(s);
  if (HasBlocks(s.kind)) {
    CopyBlock(s.body);
    CopyBlock(s.orelse);
  }
}

void BlockWriter::WriteHeader(const Stmt& s) {
  Pending& block = open_.back();
  ++block.count;
  block.last = size_;
  uint32_t mask = (s.value ? kStmtValue : 0) | (s.test ? kStmtTest : 0) |
                  (s.targets.empty() ? 0 : kStmtTargets) | (s.msg ? kStmtMsg : 0) |
                  (s.aug_op != BinaryOp::kAdd ? kStmtAugOp : 0) | (s.name.empty() ? 0 : kStmtName) |
                  (s.params.empty() ? 0 : kStmtParams) | (s.defaults.empty() ? 0 : kStmtDefaults) |
                  (s.module.empty() ? 0 : kStmtModule) | (s.alias.empty() ? 0 : kStmtAlias) |
                  (s.names.empty() ? 0 : kStmtNames) | (s.aliases.empty() ? 0 : kStmtAliases) |
                  (s.decorators.empty() ? 0 : kStmtDecorators) |
                  (s.kwonly_params.empty() ? 0 : kStmtKwonlyParams) |
                  (s.kw_defaults.empty() ? 0 : kStmtKwDefaults) |
                  (s.vararg.empty() ? 0 : kStmtVararg) | (s.kwarg.empty() ? 0 : kStmtKwarg);
  PutNodeHead(static_cast<uint8_t>(s.kind), PosBits(s.pos.line), PosBits(s.pos.col), mask);
  int line = s.pos.line;
  if (s.value) PutExpr(s.value.get(), line);
  if (s.test) PutExpr(s.test.get(), line);
  if (!s.targets.empty()) PutExprs(s.targets, line);
  if (s.msg) PutExpr(s.msg.get(), line);
  if (mask & kStmtAugOp) PutVarint(static_cast<uint64_t>(s.aug_op));
  if (!s.name.empty()) PutString(s.name);
  if (!s.params.empty()) PutStrings(s.params);
  if (!s.defaults.empty()) PutExprs(s.defaults, line);
  if (!s.module.empty()) PutString(s.module);
  if (!s.alias.empty()) PutString(s.alias);
  if (!s.names.empty()) PutStrings(s.names);
  if (!s.aliases.empty()) PutStrings(s.aliases);
  if (!s.decorators.empty()) PutExprs(s.decorators, line);
  if (!s.kwonly_params.empty()) PutStrings(s.kwonly_params);
  if (!s.kw_defaults.empty()) PutExprs(s.kw_defaults, line);
  if (!s.vararg.empty()) PutString(s.vararg);
  if (!s.kwarg.empty()) PutString(s.kwarg);
}

void BlockWriter::OpenBlock() {
  Reserve(kBlockHeader);
  size_ += kBlockHeader;
  open_.push_back(Pending{size_, 0, size_});
}

void BlockWriter::CloseBlock() {
  Pending block = open_.back();
  open_.pop_back();
  size_t length = size_ - block.begin;
  if (length > std::numeric_limits<uint32_t>::max()) throw std::bad_alloc();
  uint8_t* header = bytes_->data() + block.begin - kBlockHeader;
  PutU32(header, length);
  PutU32(header + 4, block.count);
  PutU32(header + 8, block.last - block.begin);
}

// The buffer keeps its size (the room grown so far, past the bytes written): its statements are
// what the views cover, and a reused buffer is not resized per statement.
size_t BlockWriter::Close() { return open_.front().count; }

Block BlockWriter::Finish() {
  size_t count = Close();
  return Block(buffer_, 0, size_, count, open_.front().last);
}

// Copies a block's bytes as they are: a block is position-independent (its offsets are relative).
void BlockWriter::CopyBlock(const Block& block) {
  OpenBlock();
  if (!block.empty()) {
    size_t length = block.end() - block.begin();
    uint8_t* to = Reserve(length);  // may move this buffer: `from` is read after
    const uint8_t* from = block.buffer()->data() + block.begin();
    std::memmove(to, from, length);  // memmove: a statement decoded from this very buffer
    size_ += length;
    Pending& copy = open_.back();
    copy.count = block.size();
    copy.last = copy.begin + (block.last_offset() - block.begin());
  }
  CloseBlock();
}

void BlockWriter::PutExpr(const Expr* e, int parent_line) {
  if (e == nullptr) {
    PutByte(kNullExpr);
    return;
  }
  uint32_t mask =
      (e->str_value.empty() ? 0 : kExprStr) | (e->int_value != 0 ? kExprInt : 0) |
      (e->left ? kExprLeft : 0) | (e->right ? kExprRight : 0) |
      (e->items.empty() ? 0 : kExprItems) | (e->binary_op != BinaryOp::kAdd ? kExprBinaryOp : 0) |
      (e->compare_ops.empty() ? 0 : kExprCompareOps) | (e->operand ? kExprOperand : 0) |
      (FloatIsDefault(e->float_value) ? 0 : kExprFloat) |
      (e->unary_op != UnaryOp::kNeg ? kExprUnaryOp : 0) |
      (e->bool_op != BoolOpKind::kAnd ? kExprBoolOp : 0) | (e->slice_lower ? kExprSliceLower : 0) |
      (e->slice_upper ? kExprSliceUpper : 0) | (e->keywords.empty() ? 0 : kExprKeywords);
  PutNodeHead(static_cast<uint8_t>(e->kind),
              Zigzag(static_cast<int64_t>(e->pos.line) - parent_line), PosBits(e->pos.col), mask);
  int line = e->pos.line;
  if (mask & kExprStr) PutString(e->str_value);
  if (mask & kExprInt) PutZigzag(e->int_value);
  if (mask & kExprLeft) PutExpr(e->left.get(), line);
  if (mask & kExprRight) PutExpr(e->right.get(), line);
  if (mask & kExprItems) PutExprs(e->items, line);
  if (mask & kExprBinaryOp) PutVarint(static_cast<uint64_t>(e->binary_op));
  if (mask & kExprCompareOps) {
    PutVarint(e->compare_ops.size());
    for (CompareOp op : e->compare_ops) PutByte(static_cast<uint8_t>(op));
  }
  if (mask & kExprOperand) PutExpr(e->operand.get(), line);
  if (mask & kExprFloat) PutBytes(&e->float_value, sizeof e->float_value);
  if (mask & kExprUnaryOp) PutVarint(static_cast<uint64_t>(e->unary_op));
  if (mask & kExprBoolOp) PutVarint(static_cast<uint64_t>(e->bool_op));
  if (mask & kExprSliceLower) PutExpr(e->slice_lower.get(), line);
  if (mask & kExprSliceUpper) PutExpr(e->slice_upper.get(), line);
  if (mask & kExprKeywords) {
    PutVarint(e->keywords.size());
    for (const Keyword& keyword : e->keywords) {
      PutString(keyword.name);
      PutZigzag(static_cast<int64_t>(keyword.pos.line) - line);
      PutVarint(PosBits(keyword.pos.col));
      PutExpr(keyword.value.get(), line);
    }
  }
}

void BlockWriter::PutExprs(const std::vector<ExprPtr>& items, int line) {
  PutVarint(items.size());
  for (const ExprPtr& item : items) PutExpr(item.get(), line);
}

void BlockWriter::PutStrings(const std::vector<std::string>& texts) {
  PutVarint(texts.size());
  for (const std::string& text : texts) PutString(text);
}

}  // namespace gilbench::vm
