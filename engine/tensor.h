// Float tensors as the engine passes them around: owned matrices and borrowed views.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bertlab {

// Row-major so that a [T, H] activation is T contiguous token vectors, like PyTorch.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;

// A read-only fp32 tensor whose bytes live elsewhere (a mapped file or an owned buffer);
// `owner` keeps that storage alive for as long as any view of it exists.
struct TensorView {
    const float* data = nullptr;
    std::vector<int64_t> shape;
    std::shared_ptr<const void> owner;

    int64_t numel() const;
    bool empty() const { return data == nullptr; }
    int64_t rows() const;  // first dim (1 for rank 0/1 tensors of a single row)
    int64_t cols() const;  // product of the remaining dims
    ConstMatrixMap matrix() const;  // [rows, cols]
    std::string shapeString() const;  // e.g. "[30522, 768]"
};

// Makes a view that owns a copy of `values`.
TensorView makeOwnedTensor(std::vector<float> values, std::vector<int64_t> shape);

} // namespace bertlab
