// Cosine similarity, 2-D PCA via Eigen's SelfAdjointEigenSolver, and nearest-neighbour search.
#include "vector_math.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <numeric>

namespace bertlab::ui::vecmath {

Matrix cosineSimilarity(const Matrix& x)
{
    Eigen::VectorXf norms = x.rowwise().norm();
    for (Eigen::Index i = 0; i < norms.size(); ++i)
        norms[i] = norms[i] > 0.f ? 1.f / norms[i] : 0.f;
    const Matrix unit = norms.asDiagonal() * x;
    return unit * unit.transpose();
}

Pca2 fitPca2(const Matrix& x)
{
    Pca2 pca;
    const Eigen::Index n = x.rows();
    const Eigen::Index h = x.cols();
    pca.mean = x.colwise().mean();
    pca.axes = Matrix::Zero(h, 2);
    if (n == 0 || h == 0)
        return pca;
    const Matrix centred = x.rowwise() - pca.mean;
    Eigen::MatrixXd axes(h, 2);
    axes.setZero();
    Eigen::VectorXd values(2);
    values.setZero();
    double total = 0.0;
    if (n <= h) {
        // Few tokens, wide vectors: the [N, N] Gram matrix has the same non-zero spectrum.
        const Eigen::MatrixXd c = centred.cast<double>();
        const Eigen::MatrixXd gram = c * c.transpose();
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
        total = gram.trace();
        for (int k = 0; k < 2 && k < n; ++k) {
            const Eigen::Index idx = n - 1 - k;  // eigenvalues come in increasing order
            const double lambda = solver.eigenvalues()[idx];
            if (lambda <= 1e-12)
                continue;
            axes.col(k) = c.transpose() * solver.eigenvectors().col(idx) / std::sqrt(lambda);
            values[k] = lambda;
        }
    } else {
        const Eigen::MatrixXd c = centred.cast<double>();
        const Eigen::MatrixXd cov = c.transpose() * c;
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
        total = cov.trace();
        for (int k = 0; k < 2 && k < h; ++k) {
            const Eigen::Index idx = h - 1 - k;
            axes.col(k) = solver.eigenvectors().col(idx);
            values[k] = std::max(0.0, solver.eigenvalues()[idx]);
        }
    }
    for (int k = 0; k < 2; ++k) {
        Eigen::Index arg = 0;
        axes.col(k).cwiseAbs().maxCoeff(&arg);
        if (axes(arg, k) < 0)
            axes.col(k) = -axes.col(k);
        pca.explained[k] = total > 0 ? static_cast<float>(values[k] / total) : 0.f;
    }
    pca.axes = axes.cast<float>();
    return pca;
}

Matrix project(const Pca2& pca, const Matrix& x)
{
    return (x.rowwise() - pca.mean) * pca.axes;
}

Eigen::VectorXf rowNorms(const ConstMatrixMap& table)
{
    return table.rowwise().norm();
}

std::vector<Neighbour> nearestRows(const ConstMatrixMap& table, const Eigen::VectorXf& norms,
                                   const Eigen::VectorXf& query, int k)
{
    std::vector<Neighbour> out;
    const float qn = query.norm();
    if (qn <= 0.f || table.rows() == 0 || table.cols() != query.size())
        return out;
    const Eigen::VectorXf dots = table * query;
    std::vector<int> order(static_cast<size_t>(table.rows()));
    std::iota(order.begin(), order.end(), 0);
    auto cosine = [&](int r) { return norms[r] > 0.f ? dots[r] / (norms[r] * qn) : -2.f; };
    k = std::clamp(k, 0, static_cast<int>(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        const float ca = cosine(a), cb = cosine(b);
        return ca != cb ? ca > cb : a < b;
    });
    for (int i = 0; i < k; ++i)
        out.push_back({order[static_cast<size_t>(i)], cosine(order[static_cast<size_t>(i)])});
    return out;
}

} // namespace bertlab::ui::vecmath
