// Attention kernels: one (sequence, head) pair per OpenMP task, sgemm for the products inside it; the loops between them dispatched per CPU.
#include "layers/attention.h"

#include "dispatch.h"
#include "error.h"
#include "layers/counter_random.h"
#include "layers/softmax.h"
#include "openblas_library.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

namespace bertlab::layers {

namespace {

// Thread-private scratch that grows once and is then reused, so steady-state passes allocate nothing.
float* scratch(Eigen::ArrayXf& buffer, size_t n)
{
    if (static_cast<size_t>(buffer.size()) < n) buffer.resize(static_cast<Eigen::Index>(n));
    return buffer.data();
}

void zeroRows(float* x, int ld, int from, int to, int width)
{
    for (int i = from; i < to; ++i) std::fill_n(x + static_cast<size_t>(i) * ld, width, 0.0f);
}

// The shape of one call: heads of width d; probabilities [S, heads, Tm, Tm], TT = Tm².
struct Geometry {
    int d, Tm, tasks;
    size_t TT;
    float scale, keep;
    Geometry(const SequenceLayout& layout, int H, int heads, float dropout)
        : d(H / heads), Tm(layout.longest()), tasks(layout.count() * heads),
          TT(static_cast<size_t>(Tm) * Tm), scale(1.0f / std::sqrt(static_cast<float>(d))),
          keep(dropout > 0.0f ? 1.0f / (1.0f - dropout) : 1.0f)
    {
    }
};

// One (sequence, head) pair: its tokens, and where its columns start in rows of stride ld
// (q, k, v) and of stride H (context).
struct HeadTask {
    int n, h, length, span;
    size_t in, out;
    HeadTask(int task, int heads, const SequenceLayout& layout, int d, int ld, int H)
        : n(task / heads), h(task % heads), length(layout.length[static_cast<size_t>(n)]), span(layout.span(n))
    {
        const size_t s = static_cast<size_t>(layout.start[static_cast<size_t>(n)]);
        in = s * ld + static_cast<size_t>(h) * d;
        out = s * H + static_cast<size_t>(h) * d;
    }
};

} // namespace

BERTLAB_DISPATCH
void attentionForward(float* ctx, float* probs, const float* q, const float* k, const float* v, int ld,
                      const SequenceLayout& layout, int H, int heads, const AttentionOptions& o)
{
    const Geometry g(layout, H, heads, o.dropout);
    const int d = g.d, Tm = g.Tm;
    const size_t TT = g.TT;
    const FloatProducts products = threadFloatProducts();
#pragma omp parallel for schedule(dynamic) if (g.tasks > 1)
    for (int task = 0; task < g.tasks; ++task) {
        thread_local Eigen::ArrayXf scoresBuf, weightsBuf;
        const FloatProductsScope sameProducts(products);
        const HeadTask t(task, heads, layout, d, ld, H);
        const int L = t.length, h = t.h;
        const size_t in = t.in, out = t.out;
        zeroRows(ctx + out, H, L, t.span, d);
        if (L == 0) continue;
        // P[L, L] with row stride ldp: kept in probs, or compact in scratch
        const int ldp = probs ? Tm : L;
        float* P = probs ? probs + static_cast<size_t>(task) * TT : scratch(scoresBuf, static_cast<size_t>(L) * L);
        sgemm(false, true, L, L, d, g.scale, q + in, ld, k + in, ld, 0.0f, P, ldp);
        softmaxRows(P, L, L, ldp);
        const float* A = P;
        const float m = o.headMultiplier ? o.headMultiplier[h] : 1.0f;
        if (o.dropout > 0.0f || o.headMultiplier) {
            float* D = scratch(weightsBuf, static_cast<size_t>(L) * ldp);
            uint8_t* M = o.dropout > 0.0f ? o.dropMask + static_cast<size_t>(task) * TT : nullptr;
            for (int i = 0; i < L; ++i)
                for (int j = 0; j < L; ++j) {
                    const size_t idx = static_cast<size_t>(i) * ldp + j;
                    float a = P[idx] * m;
                    if (M) {
                        const bool kept = uniformAt(o.key, task * TT + idx) >= o.dropout;
                        M[idx] = kept;
                        a = kept ? a * g.keep : 0.0f;
                    }
                    D[idx] = a;
                }
            A = D;
        }
        sgemm(false, false, L, d, L, 1.0f, A, ldp, v + in, ld, 0.0f, ctx + out, H);
    }
}

BERTLAB_DISPATCH
void attentionBackward(float* dq, float* dk, float* dv, int ldd, const float* dctx, const float* probs,
                       const float* q, const float* k, const float* v, int ld, const SequenceLayout& layout,
                       int H, int heads, const AttentionOptions& o)
{
    const Geometry geo(layout, H, heads, o.dropout);
    const int d = geo.d, Tm = geo.Tm;
    const size_t TT = geo.TT;
    const float scale = geo.scale, keep = geo.keep;
    const FloatProducts products = threadFloatProducts();
#pragma omp parallel for schedule(dynamic) if (geo.tasks > 1)
    for (int task = 0; task < geo.tasks; ++task) {
        thread_local Eigen::ArrayXf weightsBuf, gradBuf;
        const FloatProductsScope sameProducts(products);
        const HeadTask t(task, heads, layout, d, ld, H);
        const int L = t.length, h = t.h;
        const size_t in = t.in, out = t.out;
        const size_t grad = static_cast<size_t>(layout.start[static_cast<size_t>(t.n)]) * ldd + static_cast<size_t>(h) * d;
        for (float* x : {dq, dk, dv}) zeroRows(x + grad, ldd, L, t.span, d);
        if (L == 0) continue;
        const float* P = probs + static_cast<size_t>(task) * TT;
        const float m = o.headMultiplier ? o.headMultiplier[h] : 1.0f;
        const uint8_t* M = o.dropout > 0.0f ? o.dropMask + static_cast<size_t>(task) * TT : nullptr;
        // A = the weights the values saw: P, times the multiplier, through the dropout mask
        const float* A = P;
        if (M || o.headMultiplier) {
            float* D = scratch(weightsBuf, TT);
            for (int i = 0; i < L; ++i)
                for (int j = 0; j < L; ++j) {
                    const size_t idx = static_cast<size_t>(i) * Tm + j;
                    D[idx] = (!M || M[idx]) ? P[idx] * m * keep : 0.0f;
                }
            A = D;
        }
        float* G = scratch(gradBuf, TT);
        // dV[L, d] = Aᵀ · dctx
        sgemm(true, false, L, d, L, 1.0f, A, Tm, dctx + out, H, 0.0f, dv + grad, ldd);
        // dA[L, L] = dctx · Vᵀ
        sgemm(false, true, L, L, d, 1.0f, dctx + out, H, v + in, ld, 0.0f, G, Tm);
        if (o.dHeadMultiplier) {
            // d loss/d m = Σ dA ⊙ P·keep·mask, where dA = G is still the gradient of what the values saw
            double dm = 0.0;
            for (int i = 0; i < L; ++i) {
                const float* g = G + static_cast<size_t>(i) * Tm;
                const float* pr = P + static_cast<size_t>(i) * Tm;
                const uint8_t* mi = M ? M + static_cast<size_t>(i) * Tm : nullptr;
                for (int j = 0; j < L; ++j)
                    if (!mi || mi[j]) dm += static_cast<double>(g[j]) * pr[j] * keep;
            }
#pragma omp atomic
            o.dHeadMultiplier[h] += static_cast<float>(dm);
        }
        for (int i = 0; i < L; ++i) {
            float* g = G + static_cast<size_t>(i) * Tm;
            const float* pr = P + static_cast<size_t>(i) * Tm;
            if (M || o.headMultiplier) {
                const uint8_t* mi = M ? M + static_cast<size_t>(i) * Tm : nullptr;
                for (int j = 0; j < L; ++j) g[j] = (!mi || mi[j]) ? g[j] * m * keep : 0.0f;
            }
            float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
            for (int j = 0; j < L; ++j) dot += g[j] * pr[j];
            for (int j = 0; j < L; ++j) g[j] = pr[j] * (g[j] - dot);
        }
        // dQ = dS · K · scale; dK = dSᵀ · Q · scale
        sgemm(false, false, L, d, L, scale, G, Tm, k + in, ld, 0.0f, dq + grad, ldd);
        sgemm(true, false, L, d, L, scale, G, Tm, q + in, ld, 0.0f, dk + grad, ldd);
    }
}

namespace {

// The sequence of each chosen row; throws unless every row is a real token of the batch.
std::vector<int> sequencesOfRows(const int* rows, int R, const SequenceLayout& layout)
{
    std::vector<int> seq(static_cast<size_t>(R));
    for (int i = 0; i < R; ++i) {
        seq[static_cast<size_t>(i)] = layout.sequenceOf(rows[i]);
        if (seq[static_cast<size_t>(i)] < 0) throw Error("row attention was asked for a row that is no real token");
    }
    return seq;
}

} // namespace

// One query row against at most a sequence's tokens: plain loops, which the clones vectorise; a
// few hundred of them per pass cost nothing beside the layer's matrix products.
BERTLAB_DISPATCH
void rowAttentionForward(float* ctx, float* probs, const float* q, int ldq, const float* k, const float* v, int ld,
                         const int* rows, int R, const SequenceLayout& layout, int H, int heads,
                         const float* headMultiplier)
{
    const Geometry g(layout, H, heads, 0.0f);
    const int d = g.d, Tm = g.Tm;
    const std::vector<int> seq = sequencesOfRows(rows, R, layout);
#pragma omp parallel for schedule(static) if (R * heads > 1)
    for (int task = 0; task < R * heads; ++task) {
        const int i = task / heads, h = task % heads, n = seq[static_cast<size_t>(i)];
        const int L = layout.length[static_cast<size_t>(n)];
        const size_t first = static_cast<size_t>(layout.start[static_cast<size_t>(n)]) * ld + static_cast<size_t>(h) * d;
        const float* qi = q + static_cast<size_t>(i) * ldq + static_cast<size_t>(h) * d;
        float* p = probs + static_cast<size_t>(task) * Tm;
        for (int j = 0; j < L; ++j) {
            const float* kj = k + first + static_cast<size_t>(j) * ld;
            float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
            for (int c = 0; c < d; ++c) dot += qi[c] * kj[c];
            p[j] = dot * g.scale;
        }
        std::fill(p + L, p + Tm, 0.0f);
        softmaxRows(p, 1, L, L);
        const float m = headMultiplier ? headMultiplier[h] : 1.0f;
        float* out = ctx + static_cast<size_t>(i) * H + static_cast<size_t>(h) * d;
        std::fill_n(out, d, 0.0f);
        for (int j = 0; j < L; ++j) {
            const float w = p[j] * m;
            const float* vj = v + first + static_cast<size_t>(j) * ld;
#pragma omp simd
            for (int c = 0; c < d; ++c) out[c] += w * vj[c];
        }
    }
}

BERTLAB_DISPATCH
void rowAttentionBackward(float* dq, int lddq, float* dk, float* dv, int ldd, const float* dctx, const float* probs,
                          const float* q, int ldq, const float* k, const float* v, int ld, const int* rows, int R,
                          const SequenceLayout& layout, int H, int heads, const float* headMultiplier,
                          float* dHeadMultiplier)
{
    const Geometry g(layout, H, heads, 0.0f);
    const int d = g.d, Tm = g.Tm;
    const std::vector<int> seq = sequencesOfRows(rows, R, layout);
    // One task per head: queries of one sequence add into the same key and value rows, and a
    // head's columns are its own, so no two tasks write the same number.
#pragma omp parallel for schedule(static) if (heads > 1)
    for (int h = 0; h < heads; ++h) {
        thread_local std::vector<float> gradBuf;
        if (gradBuf.size() < static_cast<size_t>(Tm)) gradBuf.resize(static_cast<size_t>(Tm));
        float* G = gradBuf.data();
        const size_t col = static_cast<size_t>(h) * d;
        zeroRows(dk + col, ldd, 0, layout.rows, d);
        zeroRows(dv + col, ldd, 0, layout.rows, d);
        const float m = headMultiplier ? headMultiplier[h] : 1.0f;
        double dm = 0.0;
        for (int i = 0; i < R; ++i) {
            const int n = seq[static_cast<size_t>(i)];
            const int L = layout.length[static_cast<size_t>(n)];
            const size_t first = static_cast<size_t>(layout.start[static_cast<size_t>(n)]);
            const float* p = probs + (static_cast<size_t>(i) * heads + h) * Tm;
            const float* dc = dctx + static_cast<size_t>(i) * H + col;
            const float* qi = q + static_cast<size_t>(i) * ldq + col;
            // G = dctx · Vᵀ: the gradient of the weights the values saw; their values' gradient
            for (int j = 0; j < L; ++j) {
                const float* vj = v + (first + j) * ld + col;
                float* dvj = dv + (first + j) * ldd + col;
                const float w = p[j] * m;
                float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
                for (int c = 0; c < d; ++c) {
                    dot += dc[c] * vj[c];
                    dvj[c] += w * dc[c];
                }
                G[j] = dot;
                dm += static_cast<double>(dot) * p[j];
            }
            float dot = 0.0f;
            for (int j = 0; j < L; ++j) dot += G[j] * m * p[j];
            float* dqi = dq + static_cast<size_t>(i) * lddq + col;
            std::fill_n(dqi, d, 0.0f);
            for (int j = 0; j < L; ++j) {
                const float ds = p[j] * (G[j] * m - dot) * g.scale;
                const float* kj = k + (first + j) * ld + col;
                float* dkj = dk + (first + j) * ldd + col;
#pragma omp simd
                for (int c = 0; c < d; ++c) {
                    dqi[c] += ds * kj[c];
                    dkj[c] += ds * qi[c];
                }
            }
        }
        if (dHeadMultiplier) dHeadMultiplier[h] += static_cast<float>(dm);
    }
}

} // namespace bertlab::layers
