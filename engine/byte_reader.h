// A bounds-checked little-endian cursor over untrusted bytes; reading past the end throws Error.
#pragma once

#include "error.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace bertlab {

class ByteReader {
public:
    // `what` names the data in messages, e.g. "the zip central directory".
    ByteReader(const uint8_t* data, size_t size, std::string what)
        : data_(data), size_(size), what_(std::move(what)) {}

    size_t pos() const { return pos_; }
    size_t size() const { return size_; }
    size_t remaining() const { return size_ - pos_; }
    bool atEnd() const { return pos_ == size_; }
    const uint8_t* data() const { return data_; }

    void seek(size_t pos)
    {
        if (pos > size_) truncated();
        pos_ = pos;
    }

    // Returns a pointer to the next n bytes and moves past them.
    const uint8_t* take(size_t n)
    {
        if (n > remaining()) truncated();
        const uint8_t* p = data_ + pos_;
        pos_ += n;
        return p;
    }
    void skip(size_t n) { take(n); }

    uint8_t u8() { return *take(1); }
    uint16_t u16() { return static_cast<uint16_t>(load(2)); }
    uint32_t u32() { return static_cast<uint32_t>(load(4)); }
    uint64_t u64() { return load(8); }

    // LEB128 as protobuf and LevelDB write it: at most 10 bytes for 64 bits.
    uint64_t varint()
    {
        uint64_t result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            uint8_t b = u8();
            if (shift == 63 && b > 1) break;  // would not fit in 64 bits
            result |= static_cast<uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) return result;
        }
        throw Error(what_ + " has a malformed varint");
    }

    [[noreturn]] void truncated() const { throw Error(what_ + " is truncated"); }
    const std::string& what() const { return what_; }

private:
    uint64_t load(size_t n)
    {
        const uint8_t* p = take(n);
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
        return v;
    }

    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
    std::string what_;
};

} // namespace bertlab
