// Forward and backward kernels of BERT's layers: sgemm for matrix products, OpenMP elsewhere.
#include "training/bert_layers.h"

#include "training/aligned_buffer.h"

#include "openblas_library.h"
#include <unsupported/Eigen/SpecialFunctions>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace bertlab::layers {

namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

constexpr ptrdiff_t kChunk = 8192;      // elementwise work per OpenMP iteration
constexpr int kColumnBlock = 32;        // columns per reduction task

// Below this many floats a parallel region costs more than it saves.
bool big(size_t work) { return work >= 32768; }

// Runs f(begin, length) over [0, n) in fixed chunks, in parallel.
template <typename F>
void forChunks(size_t n, F&& f)
{
    const ptrdiff_t chunks = static_cast<ptrdiff_t>((n + kChunk - 1) / kChunk);
#pragma omp parallel for schedule(static) if (chunks > 1)
    for (ptrdiff_t c = 0; c < chunks; ++c) {
        const size_t begin = static_cast<size_t>(c) * kChunk;
        f(begin, std::min<size_t>(kChunk, n - begin));
    }
}

// Adds Σ_rows src[r, :] into dst[:] (src is [N, C]); split by column block so the summation
// order per column is always row 0, 1, 2, ...
void addColumnSums(float* dst, const float* src, int N, int C)
{
    const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (big(size_t(N) * C))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
        float acc[kColumnBlock] = {};
        for (int r = 0; r < N; ++r) {
            const float* row = src + static_cast<size_t>(r) * C;
            for (int c = c0; c < c1; ++c) acc[c - c0] += row[c];
        }
        for (int c = c0; c < c1; ++c) dst[c] += acc[c - c0];
    }
}

// Thread-private scratch that grows once and is then reused, so steady-state steps allocate nothing.
float* scratch(AlignedVector<float>& buffer, size_t n)
{
    if (buffer.size() < n) buffer.resize(n);
    return buffer.data();
}

} // namespace

uint64_t mixKey(uint64_t a, uint64_t b)
{
    uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

float uniformAt(uint64_t key, uint64_t index)
{
    return static_cast<float>(mixKey(key, index) >> 40) * (1.0f / 16777216.0f);
}

void embeddingsForward(float* out, const int* ids, const int* types, int B, int T, int H,
                       const float* wte, const float* wpe, const float* wtt)
{
#pragma omp parallel for schedule(static) if (big(size_t(B) * T * H))
    for (int i = 0; i < B * T; ++i) {
        const int t = i % T;
        ArrayMap o(out + static_cast<size_t>(i) * H, H);
        o = ConstArrayMap(wte + static_cast<size_t>(ids[i]) * H, H) +
            ConstArrayMap(wpe + static_cast<size_t>(t) * H, H) +
            ConstArrayMap(wtt + static_cast<size_t>(types[i]) * H, H);
    }
}

void embeddingsBackward(float* dwte, float* dwpe, float* dwtt, const float* dout, const int* ids,
                        const int* types, int B, int T, int H)
{
    const int blocks = (H + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (big(size_t(B) * T * H))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(H, c0 + kColumnBlock);
        for (int i = 0; i < B * T; ++i) {
            const float* g = dout + static_cast<size_t>(i) * H;
            float* w = dwte + static_cast<size_t>(ids[i]) * H;
            float* p = dwpe + static_cast<size_t>(i % T) * H;
            float* y = dwtt + static_cast<size_t>(types[i]) * H;
            for (int c = c0; c < c1; ++c) {
                w[c] += g[c];
                p[c] += g[c];
                y[c] += g[c];
            }
        }
    }
}

void layerNormForward(float* out, float* mean, float* rstd, const float* in, const float* g,
                      const float* b, int N, int C, float eps)
{
    ConstArrayMap gamma(g, C), beta(b, C);
#pragma omp parallel for schedule(static) if (big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        ConstArrayMap x(in + static_cast<size_t>(r) * C, C);
        const float m = x.mean();
        const float var = (x - m).square().mean();
        const float s = 1.0f / std::sqrt(var + eps);
        ArrayMap(out + static_cast<size_t>(r) * C, C) = (x - m) * s * gamma + beta;
        mean[r] = m;
        rstd[r] = s;
    }
}

void layerNormBackward(float* din, float* dg, float* db, const float* dout, const float* in,
                       const float* g, const float* mean, const float* rstd, int N, int C,
                       bool accumulate)
{
    ConstArrayMap gamma(g, C);
#pragma omp parallel for schedule(static) if (big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        ConstArrayMap x(in + static_cast<size_t>(r) * C, C);
        ConstArrayMap dy(dout + static_cast<size_t>(r) * C, C);
        const Eigen::ArrayXf norm = (x - mean[r]) * rstd[r];
        const Eigen::ArrayXf dnorm = dy * gamma;
        const float meanD = dnorm.mean();
        const float meanDN = (dnorm * norm).mean();
        ArrayMap dx(din + static_cast<size_t>(r) * C, C);
        if (accumulate)
            dx += (dnorm - meanD - norm * meanDN) * rstd[r];
        else
            dx = (dnorm - meanD - norm * meanDN) * rstd[r];
    }
    const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (big(size_t(N) * C))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
        float accG[kColumnBlock] = {}, accB[kColumnBlock] = {};
        for (int r = 0; r < N; ++r) {
            const float* x = in + static_cast<size_t>(r) * C;
            const float* dy = dout + static_cast<size_t>(r) * C;
            for (int c = c0; c < c1; ++c) {
                accG[c - c0] += dy[c] * (x[c] - mean[r]) * rstd[r];
                accB[c - c0] += dy[c];
            }
        }
        for (int c = c0; c < c1; ++c) {
            dg[c] += accG[c - c0];
            db[c] += accB[c - c0];
        }
    }
}

void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC)
{
    float beta = 0.0f;
    if (b) {
#pragma omp parallel for schedule(static) if (big(size_t(N) * OC))
        for (int r = 0; r < N; ++r) std::memcpy(out + static_cast<size_t>(r) * OC, b, sizeof(float) * OC);
        beta = 1.0f;
    }
    sgemm(false, true, N, OC, C, 1.0f, in, C, W, C, beta, out, OC);
}

void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in,
                   const float* W, int N, int C, int OC, bool accumulate)
{
    if (din)
        sgemm(false, false, N, C, OC, 1.0f, dout, OC, W, C,
                    accumulate ? 1.0f : 0.0f, din, C);
    sgemm(true, false, OC, C, N, 1.0f, dout, OC, in, C, 1.0f, dW, C);
    if (db) addColumnSums(db, dout, N, OC);
}

void geluForward(float* out, const float* in, size_t n)
{
    forChunks(n, [&](size_t begin, size_t len) {
        ConstArrayMap x(in + begin, static_cast<Eigen::Index>(len));
        ArrayMap(out + begin, static_cast<Eigen::Index>(len)) =
            0.5f * x * (1.0f + (x * static_cast<float>(M_SQRT1_2)).erf());
    });
}

void geluBackward(float* din, const float* dout, const float* in, size_t n)
{
    const float invSqrt2Pi = static_cast<float>(0.5 * M_2_SQRTPI * M_SQRT1_2);
    forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        ConstArrayMap x(in + begin, m);
        ConstArrayMap dy(dout + begin, m);
        const Eigen::ArrayXf cdf = 0.5f * (1.0f + (x * static_cast<float>(M_SQRT1_2)).erf());
        const Eigen::ArrayXf pdf = (-0.5f * x.square()).exp() * invSqrt2Pi;
        ArrayMap(din + begin, m) = dy * (cdf + x * pdf);
    });
}

void tanhForward(float* out, const float* in, size_t n)
{
    forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        ArrayMap(out + begin, m) = ConstArrayMap(in + begin, m).tanh();
    });
}

void tanhBackward(float* din, const float* dout, const float* out, size_t n)
{
    forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        ConstArrayMap y(out + begin, m);
        ArrayMap(din + begin, m) = ConstArrayMap(dout + begin, m) * (1.0f - y.square());
    });
}

void dropoutForward(float* x, uint8_t* mask, size_t n, float p, uint64_t key)
{
    if (p <= 0.0f) return;
    const float scale = 1.0f / (1.0f - p);
    forChunks(n, [&](size_t begin, size_t len) {
        for (size_t i = begin; i < begin + len; ++i) {
            const bool keep = uniformAt(key, i) >= p;
            mask[i] = keep;
            x[i] = keep ? x[i] * scale : 0.0f;
        }
    });
}

void dropoutBackward(float* din, const float* dout, const uint8_t* mask, size_t n, float p)
{
    if (p <= 0.0f) {
        if (din != dout) std::memcpy(din, dout, n * sizeof(float));
        return;
    }
    const float scale = 1.0f / (1.0f - p);
    forChunks(n, [&](size_t begin, size_t len) {
        for (size_t i = begin; i < begin + len; ++i) din[i] = mask[i] ? dout[i] * scale : 0.0f;
    });
}

namespace {

// Number of rows to compute for sequence b: one past its last real token. Rows after it are
// padding queries; nothing reads their outputs, so they are left at zero.
int activeLength(const float* keyMask, int b, int T)
{
    int last = 0;
    for (int t = 0; t < T; ++t)
        if (keyMask[static_cast<size_t>(b) * T + t] != 0.0f) last = t + 1;
    return last;
}

} // namespace

void attentionForward(float* ctx, float* probs, uint8_t* dropMask, const float* q, const float* k,
                      const float* v, const float* keyMask, int B, int T, int H, int heads, float p,
                      uint64_t key)
{
    const int d = H / heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const float keep = p > 0.0f ? 1.0f / (1.0f - p) : 1.0f;
    const size_t TT = static_cast<size_t>(T) * T;
#pragma omp parallel for schedule(static) if (big(size_t(B) * heads * T * T))
    for (int bh = 0; bh < B * heads; ++bh) {
        thread_local AlignedVector<float> dropped;
        const int b = bh / heads, h = bh % heads;
        const int L = activeLength(keyMask, b, T);
        const size_t base = static_cast<size_t>(b) * T * H + static_cast<size_t>(h) * d;
        float* P = probs + bh * TT;
        std::memset(P, 0, TT * sizeof(float));
        for (int i = 0; i < T; ++i)
            for (int j = 0; j < d; ++j) ctx[base + static_cast<size_t>(i) * H + j] = 0.0f;
        if (L == 0) continue;
        // scores[L, L] with row stride T
        sgemm(false, true, L, L, d, scale, q + base, H, k + base, H,
                    0.0f, P, T);
        const float* km = keyMask + static_cast<size_t>(b) * T;
        for (int i = 0; i < L; ++i) {
            float* row = P + static_cast<size_t>(i) * T;
            float mx = -INFINITY;
            for (int j = 0; j < L; ++j)
                if (km[j] != 0.0f) mx = std::max(mx, row[j]);
            float sum = 0.0f;
            for (int j = 0; j < L; ++j) {
                const float e = km[j] != 0.0f ? std::exp(row[j] - mx) : 0.0f;
                row[j] = e;
                sum += e;
            }
            const float inv = 1.0f / sum;
            for (int j = 0; j < L; ++j) row[j] *= inv;
        }
        const float* A = P;
        if (p > 0.0f) {
            float* D = scratch(dropped, TT);
            uint8_t* M = dropMask + bh * TT;
            for (int i = 0; i < L; ++i)
                for (int j = 0; j < L; ++j) {
                    const size_t idx = static_cast<size_t>(i) * T + j;
                    const bool kept = uniformAt(key, bh * TT + idx) >= p;
                    M[idx] = kept;
                    D[idx] = kept ? P[idx] * keep : 0.0f;
                }
            A = D;
        }
        sgemm(false, false, L, d, L, 1.0f, A, T, v + base, H, 0.0f,
                    ctx + base, H);
    }
}

void attentionBackward(float* dq, float* dk, float* dv, const float* dctx, const float* probs,
                       const uint8_t* dropMask, const float* q, const float* k, const float* v,
                       int B, int T, int H, int heads, float p)
{
    const int d = H / heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const float keep = p > 0.0f ? 1.0f / (1.0f - p) : 1.0f;
    const size_t TT = static_cast<size_t>(T) * T;
#pragma omp parallel for schedule(static) if (big(size_t(B) * heads * T * T))
    for (int bh = 0; bh < B * heads; ++bh) {
        thread_local AlignedVector<float> droppedBuf, gradBuf;
        const int b = bh / heads, h = bh % heads;
        const size_t base = static_cast<size_t>(b) * T * H + static_cast<size_t>(h) * d;
        const float* P = probs + bh * TT;
        // The active length is where the probability rows stop being all zero.
        int L = 0;
        for (int i = T - 1; i >= 0 && L == 0; --i)
            for (int j = 0; j < T; ++j)
                if (P[static_cast<size_t>(i) * T + j] != 0.0f) {
                    L = i + 1;
                    break;
                }
        for (int i = 0; i < T; ++i)
            for (int j = 0; j < d; ++j) {
                const size_t idx = base + static_cast<size_t>(i) * H + j;
                dq[idx] = dk[idx] = dv[idx] = 0.0f;
            }
        if (L == 0) continue;
        const float* A = P;
        const uint8_t* M = p > 0.0f ? dropMask + bh * TT : nullptr;
        if (M) {
            float* D = scratch(droppedBuf, TT);
            for (int i = 0; i < L; ++i)
                for (int j = 0; j < L; ++j) {
                    const size_t idx = static_cast<size_t>(i) * T + j;
                    D[idx] = M[idx] ? P[idx] * keep : 0.0f;
                }
            A = D;
        }
        float* G = scratch(gradBuf, TT);
        // dV[L, d] = Aᵀ · dctx
        sgemm(true, false, L, d, L, 1.0f, A, T, dctx + base, H, 0.0f,
                    dv + base, H);
        // dA[L, L] = dctx · Vᵀ
        sgemm(false, true, L, L, d, 1.0f, dctx + base, H, v + base, H,
                    0.0f, G, T);
        for (int i = 0; i < L; ++i) {
            float* g = G + static_cast<size_t>(i) * T;
            const float* pr = P + static_cast<size_t>(i) * T;
            if (M) {
                const uint8_t* m = M + static_cast<size_t>(i) * T;
                for (int j = 0; j < L; ++j) g[j] = m[j] ? g[j] * keep : 0.0f;
            }
            float dot = 0.0f;
            for (int j = 0; j < L; ++j) dot += g[j] * pr[j];
            for (int j = 0; j < L; ++j) g[j] = pr[j] * (g[j] - dot);
        }
        // dQ = dS · K · scale; dK = dSᵀ · Q · scale
        sgemm(false, false, L, d, L, scale, G, T, k + base, H, 0.0f,
                    dq + base, H);
        sgemm(true, false, L, d, L, scale, G, T, q + base, H, 0.0f,
                    dk + base, H);
    }
}

double crossEntropyForward(float* logits, const int* targets, int N, int V, int* correct)
{
    std::vector<double> rowLoss;  // shared by the team: not thread_local
    std::vector<int> rowHit;
    rowLoss.assign(static_cast<size_t>(N), 0.0);
    rowHit.assign(static_cast<size_t>(N), 0);
#pragma omp parallel for schedule(static) if (big(size_t(N) * V))
    for (int r = 0; r < N; ++r) {
        ArrayMap x(logits + static_cast<size_t>(r) * V, V);
        Eigen::Index arg = 0;
        const float mx = x.maxCoeff(&arg);
        const int t = targets[r];
        const double shiftedTarget = static_cast<double>(x[t]) - mx;
        x = (x - mx).exp();
        const double sum = x.cast<double>().sum();
        rowLoss[r] = std::log(sum) - shiftedTarget;
        x *= static_cast<float>(1.0 / sum);
        rowHit[r] = arg == t;
    }
    double total = 0.0;
    int hits = 0;
    for (int r = 0; r < N; ++r) {
        total += rowLoss[r];
        hits += rowHit[r];
    }
    if (correct) *correct = hits;
    return total;
}

void crossEntropyBackward(float* probs, const int* targets, int N, int V, float scale)
{
#pragma omp parallel for schedule(static) if (big(size_t(N) * V))
    for (int r = 0; r < N; ++r) {
        float* g = probs + static_cast<size_t>(r) * V;
        g[targets[r]] -= 1.0f;
        ArrayMap(g, V) *= scale;
    }
}

} // namespace bertlab::layers
