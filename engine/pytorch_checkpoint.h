// Reader of PyTorch weight files (pytorch_model.bin, .pt, .pth) in both torch.save formats, zip and
// legacy, that never runs pickle code: see docs/checkpoint-formats.md for the safety rules.
#pragma once

#include "restricted_unpickler.h"
#include "tensor_map.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bertlab {

// The object a torch.save file holds, as inert values, with every storage's bytes located
// (pickle::Storage::bytes points into the caller's buffer, which must outlive this object).
struct PytorchObject {
    std::shared_ptr<pickle::Arena> arena;
    const pickle::Value* root = nullptr;
    std::string format;  // "pytorch-zip" or "pytorch-legacy"
};

// Throws Error (one line) on anything malformed or not on the allow-list.
PytorchObject loadPytorchObject(const uint8_t* data, size_t size);

// A tensor's elements in logical row-major order, widened to double; complex tensors give
// (real, imaginary) pairs.
std::vector<double> tensorValues(const pickle::Tensor& tensor);

// Every floating-point tensor in the file, named by its path through dicts and lists, joined by
// '.' (a plain state dict gives its own keys; {"model": sd} gives "model.<key>").
// Contiguous float32 tensors are views into the mapped file; float16, bfloat16, float64 and
// strided tensors are converted to fp32 copies; integer, bool and complex tensors are skipped
// with a warning. sourceFormat is "pytorch-zip" or "pytorch-legacy". Throws Error naming the file.
TensorMap readPytorchCheckpoint(const std::string& path);

// The same over bytes in memory. Views borrow `data` and keep `owner` alive; without an owner
// every tensor is copied, so `data` may be freed afterwards (the fuzzing entry point).
TensorMap parsePytorchCheckpoint(const uint8_t* data, size_t size, std::shared_ptr<const void> owner = nullptr);

} // namespace bertlab
