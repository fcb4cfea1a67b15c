// CRC-32C with the SSE4.2 instruction when the build targets it, a table otherwise.
#include "crc32c.h"

#include <array>
#include <cstring>

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

namespace bertlab {

namespace {

#if !defined(__SSE4_2__)
constexpr std::array<uint32_t, 256> makeTable()
{
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;  // reflected Castagnoli polynomial
        table[i] = c;
    }
    return table;
}
constexpr auto kTable = makeTable();
#endif

} // namespace

uint32_t crc32c(const uint8_t* data, size_t size)
{
    uint32_t crc = 0xffffffffu;
#if defined(__SSE4_2__)
    uint64_t c64 = crc;
    while (size >= 8) {
        uint64_t word;
        std::memcpy(&word, data, 8);
        c64 = _mm_crc32_u64(c64, word);
        data += 8;
        size -= 8;
    }
    crc = static_cast<uint32_t>(c64);
    while (size--) crc = _mm_crc32_u8(crc, *data++);
#else
    while (size--) crc = kTable[(crc ^ *data++) & 0xff] ^ (crc >> 8);
#endif
    return crc ^ 0xffffffffu;
}

} // namespace bertlab
