// Reader (memory-mapped, validated) and writer of the safetensors format.
#pragma once

#include "tensor_map.h"

#include <string>

namespace bertlab {

// F32 tensors are views into the mapping (no copy); F16/BF16/F64 are converted to fp32.
// Integer tensors (e.g. a stray position_ids buffer) are skipped. Throws Error on any malformation.
TensorMap readSafetensors(const std::string& path);

enum class StoredFloat { F32, F16 };

// Writes the tensors as F32 (or F16, rounded to nearest even: half the size, for shipping), keys
// sorted, header padded to 8 bytes, via a temporary name then rename.
void writeSafetensors(const std::string& path, const TensorMap& tensors, StoredFloat stored = StoredFloat::F32);

} // namespace bertlab
