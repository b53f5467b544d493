// The encoded form of blocks (ast.h's Block): the parser writes a compound statement's body and
// else clause into one buffer as it parses them (BlockWriter), and the compiler decodes them one
// statement at a time (Block::Reader). A syntax tree costs about a hundred bytes per source byte;
// this form about two, so that a function of any length compiles in memory for its source.
//
// The format. Integers are LEB128 varints unless said otherwise; "zigzag" is a signed varint
// (0, -1, 1, -2, ... as 0, 1, 2, 3, ...); "u32" is 4 bytes, little-endian; a string is its length
// then its bytes.
//
//   statement  := kind:byte line:varint col:varint mask:varint field* [block block]
//   expression := kind:byte line:zigzag col:varint mask:varint field*      (kind 0xFF: null)
//   block      := length:u32 count:u32 last:u32 statement*
//
// A statement's line is absolute; an expression's is relative to its parent's (the enclosing
// expression, or the statement, or the call of a keyword argument), which is 0 for nearly all, so
// one byte. A line or column is the int's bits as a uint32. `mask` has a bit for each field that
// is not at its default (non-zero, non-empty, non-null; a float by its bits, so -0.0 is present);
// those fields follow in the order of the bits (kStmt*/kExpr* in ast_codec.cc):
//   statement:  value test targets msg aug_op name params defaults module alias names aliases
//               decorators kwonly_params kw_defaults vararg kwarg
//   expression: str_value int_value left right items binary_op compare_ops operand float_value
//               unary_op bool_op slice_lower slice_upper keywords
// where an expression field is an expression, a list is a count then its elements (expressions,
// strings, or a byte per comparison operator), an enum is a varint, int_value is zigzag,
// float_value 8 bytes (the double's bits as this machine stores them: the buffer never leaves the
// process), and a keyword is name:string line:zigzag col:varint value:expression.
//
// A compound statement (if, while, for, def, class: HasBlocks) ends in two blocks, always: its
// body, then its else clause (empty for def), each led by its length in bytes (to step over it),
// its number of statements and the offset of its last statement from the block's first (For's
// out-of-line tail decodes the last statement alone). An elif is an else clause holding one if.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vm/ast.h"

namespace gilbench::vm {

// The kinds that end in a body and an else clause.
inline bool HasBlocks(StmtKind kind) {
  return kind == StmtKind::kIf || kind == StmtKind::kWhile || kind == StmtKind::kFor ||
         kind == StmtKind::kFunctionDef || kind == StmtKind::kClassDef || kind == StmtKind::kTry ||
         kind == StmtKind::kExceptHandler || kind == StmtKind::kTryElse ||
         kind == StmtKind::kTryFinally || kind == StmtKind::kWith;
}

// Decodes the statement at *offset of `buffer` (written by a BlockWriter) and moves *offset past
// it, past its blocks too: those are views into `buffer`, not decoded.
StmtPtr DecodeStatement(const std::shared_ptr<const EncodedBytes>& buffer, size_t* offset,
                        DecodeDepth depth = DecodeDepth::kWhole);

// Moves *offset past the statement there (and its blocks) without building anything.
void SkipStatement(const std::shared_ptr<const EncodedBytes>& buffer, size_t* offset);

// Writes statements into one growing buffer, nested blocks in place. A compound statement is its
// header (WriteHeader: everything but the blocks), then its body (OpenBlock, the statements,
// CloseBlock), then its else clause the same way: so a block's bytes are written once, where they
// stay, at any depth, and nothing is copied into a parent when a block ends. An elif chain is
// written as open blocks that close together at its end, with no recursion per elif.
//
//   writer.Reset();
//   writer.WriteHeader(for_header); writer.OpenBlock(); writer.Write(stmt); ...
//   writer.CloseBlock(); writer.OpenBlock(); writer.CloseBlock();     // no else clause
//   Block::Reader reader(writer.Finish());      // the statements written since Reset
class BlockWriter {
 public:
  // Starts over with an empty buffer for the next top-level statement. The last buffer is reused
  // when no decoded statement still refers to it and it is small (a module of a million simple
  // statements allocates no buffer per statement; a large one is given back).
  void Reset();
  // Writes `s` whole into the innermost open block, its blocks copied from their views.
  void Write(const Stmt& s);
  // Writes `s` but not its blocks: for a compound statement, the caller then writes its body and
  // else clause with OpenBlock/CloseBlock. Counts as a statement of the innermost open block.
  void WriteHeader(const Stmt& s);
  // Opens a block (its header a placeholder, filled when it closes) inside the statement whose
  // header was written last; statements written until CloseBlock are its own.
  void OpenBlock();
  // Closes the innermost open block. Throws std::bad_alloc, as running out of memory does, for a
  // block of 4 GiB or more, which its u32 header cannot describe.
  void CloseBlock();
  // Ends the statements written since Reset (every block closed): returns how many there are;
  // they start at offset 0 of buffer(), for DecodeStatement. Decoding them through the writer's
  // own reference copies no shared_ptr for a simple statement (the copies' atomic counts were a
  // measurable part of parsing a module of a million small statements). Writing may go on after
  // it: the views already made stay valid.
  size_t Close();
  const std::shared_ptr<const EncodedBytes>& buffer() const { return buffer_; }
  // Close, with the statements as a view that shares the buffer.
  Block Finish();

 private:
  // A block being written: where its statements start, how many it has, where the last starts.
  struct Pending {
    size_t begin;
    size_t count;
    size_t last;
  };

  // Room for `n` more bytes; returns where they go. The buffer is kept larger than what is
  // written (size_ bytes), so that writing a byte is a store, not a push_back.
  uint8_t* Reserve(size_t n) {
    if (bytes_->size() - size_ < n) Grow(n);
    return bytes_->data() + size_;
  }
  void Grow(size_t n);
  void CopyBlock(const Block& block);
  void PutByte(uint8_t byte) {
    *Reserve(1) = byte;
    ++size_;
  }
  // Writes a varint at `at`; returns where it ends. Through a local pointer, not size_: a byte
  // store may alias anything, and would make the compiler reload the buffer's fields after each.
  static uint8_t* WriteVarint(uint8_t* at, uint64_t value) {
    for (; value >= 0x80; value >>= 7) *at++ = static_cast<uint8_t>(value | 0x80);
    *at++ = static_cast<uint8_t>(value);
    return at;
  }
  static uint64_t Zigzag(int64_t value) {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }
  void PutVarint(uint64_t value) {
    uint8_t* at = Reserve(10);
    size_ += WriteVarint(at, value) - at;
  }
  void PutZigzag(int64_t value) { PutVarint(Zigzag(value)); }
  // A node's kind, position and mask: one reservation for the four.
  void PutNodeHead(uint8_t kind, uint64_t line, uint64_t col, uint64_t mask) {
    uint8_t* at = Reserve(1 + 3 * 10);
    uint8_t* end = at;
    *end++ = kind;
    end = WriteVarint(WriteVarint(WriteVarint(end, line), col), mask);
    size_ += end - at;
  }
  void PutBytes(const void* bytes, size_t n);
  void PutString(const std::string& text) {
    PutVarint(text.size());
    PutBytes(text.data(), text.size());
  }
  void PutExpr(const Expr* e, int parent_line);
  void PutExprs(const std::vector<ExprPtr>& items, int line);
  void PutStrings(const std::vector<std::string>& texts);

  std::shared_ptr<const EncodedBytes> buffer_;  // what decoded statements' blocks share
  EncodedBytes* bytes_ = nullptr;               // the same, to write
  size_t size_ = 0;  // the bytes written: the vector is sized to the room reserved, beyond
  std::vector<Pending> open_;  // the root (the statements since Reset) first, the innermost last
};

}  // namespace gilbench::vm
