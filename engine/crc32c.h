// CRC-32C (Castagnoli), the checksum LevelDB tables and TensorFlow bundles store, with their mask.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bertlab {

uint32_t crc32c(const uint8_t* data, size_t size);

// LevelDB and TensorFlow store CRCs "masked" so that a CRC of data holding CRCs stays strong.
inline uint32_t maskCrc32c(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

} // namespace bertlab
