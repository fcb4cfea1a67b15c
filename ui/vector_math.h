// The little linear algebra the embeddings view needs (cosine similarity, 2-D PCA, nearest rows),
// kept engine-free so the UI never reaches into the forward pass for it.
#pragma once

#include "tensor.h"

#include <vector>

namespace bertlab::ui::vecmath {

// Cosine similarity of every pair of rows of x [N, H] -> [N, N]; zero rows give 0.
Matrix cosineSimilarity(const Matrix& x);

// A 2-D principal-component basis fitted to some rows.
struct Pca2 {
    Eigen::RowVectorXf mean;          // [H]
    Matrix axes;                      // [H, 2], unit columns, largest variance first
    float explained[2] = {0.f, 0.f};  // fraction of the total variance along each axis
};

// Fits on the rows of x [N, H]; needs N >= 1. Axis signs are fixed (largest |component| positive)
// so the picture doesn't flip between runs.
Pca2 fitPca2(const Matrix& x);
Matrix project(const Pca2& pca, const Matrix& x);  // [N, 2]

struct Neighbour {
    int row = 0;
    float cosine = 0.f;
};

// Row norms of a table [V, H], computed once per table and reused by nearestRows.
Eigen::VectorXf rowNorms(const ConstMatrixMap& table);
// The k rows of table [V, H] most cosine-similar to query [H], best first.
std::vector<Neighbour> nearestRows(const ConstMatrixMap& table, const Eigen::VectorXf& norms,
                                   const Eigen::VectorXf& query, int k);

} // namespace bertlab::ui::vecmath
