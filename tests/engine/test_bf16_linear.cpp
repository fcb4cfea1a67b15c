// Bf16Linear against a double-precision product of the same bfloat16-rounded numbers.
#include "bf16_linear.h"
#include "error.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace bertlab;

namespace {

// Round to nearest even on the top 16 bits, written out bit by bit so that the reference does
// not share the engine's conversion.
double roundedToBfloat16(float f)
{
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    bits &= 0xFFFF0000u;
    float r;
    std::memcpy(&r, &bits, sizeof r);
    return r;
}

struct OwnedLinear {
    std::vector<float> weight, bias;
    LinearWeights view;
    OwnedLinear(int out, int in, std::mt19937& rng, bool withBias)
    {
        std::normal_distribution<float> normal(0.0f, 0.5f);
        weight.resize(static_cast<size_t>(out) * in);
        for (float& w : weight) w = normal(rng);
        view.weight.data = weight.data();
        view.weight.shape = {out, in};
        if (withBias) {
            bias.resize(static_cast<size_t>(out));
            for (float& b : bias) b = normal(rng);
            view.bias.data = bias.data();
            view.bias.shape = {out};
        }
    }
};

} // namespace

class Bf16LinearTest : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        if (!nativeBfloat16Available())
            QSKIP("no native bfloat16 on this CPU; the engine keeps to float32 here");
    }

    void stackedProductMatchesReference()
    {
        std::mt19937 rng(7);
        const int in = 40;
        // Three parts of different widths, the middle one without a bias: outputs follow in order.
        OwnedLinear a(24, in, rng, true), b(8, in, rng, false), c(16, in, rng, true);
        const Bf16Linear packed({&a.view, &b.view, &c.view});
        QCOMPARE(packed.inputs(), in);
        QCOMPARE(packed.outputs(), 48);

        for (int rows : {1, 5, 64}) {
            std::normal_distribution<float> normal(0.0f, 1.0f);
            std::vector<float> x(static_cast<size_t>(rows) * in);
            for (float& v : x) v = normal(rng);
            // Written with a row stride wider than the output: the gap must stay untouched.
            const int ldo = 50;
            std::vector<float> out(static_cast<size_t>(rows) * ldo, -7.0f);
            packed.apply(x.data(), rows, out.data(), ldo);

            const OwnedLinear* parts[] = {&a, &b, &c};
            for (int r = 0; r < rows; ++r) {
                int column = 0;
                for (const OwnedLinear* p : parts) {
                    const int outs = static_cast<int>(p->view.weight.shape[0]);
                    for (int j = 0; j < outs; ++j, ++column) {
                        double expected = p->bias.empty() ? 0.0 : p->bias[static_cast<size_t>(j)];
                        for (int k = 0; k < in; ++k)
                            expected += roundedToBfloat16(x[static_cast<size_t>(r) * in + k]) *
                                        roundedToBfloat16(p->weight[static_cast<size_t>(j) * in + k]);
                        const float got = out[static_cast<size_t>(r) * ldo + column];
                        QVERIFY2(std::abs(got - expected) < 1e-4 * (1.0 + std::abs(expected)),
                                 qPrintable(QStringLiteral("row %1 col %2: %3 vs %4").arg(r).arg(column).arg(got).arg(expected)));
                    }
                }
                for (int gap = 48; gap < ldo; ++gap)
                    QCOMPARE(out[static_cast<size_t>(r) * ldo + gap], -7.0f);
            }
        }
    }

    void roundingIsVisible()
    {
        // 1 + 2^-10 is not a bfloat16 (8 bits of mantissa): the product sees 1.
        std::vector<float> w = {1.0f};
        LinearWeights one;
        one.weight.data = w.data();
        one.weight.shape = {1, 1};
        const Bf16Linear packed({&one});
        const float x = 1.0f + std::ldexp(1.0f, -10);
        float y = 0.0f;
        packed.apply(&x, 1, &y, 1);
        QCOMPARE(y, 1.0f);
    }

    void mismatchedWidthsAreRefused()
    {
        std::mt19937 rng(1);
        OwnedLinear a(4, 8, rng, true), b(4, 6, rng, true);
        QVERIFY_THROWS_EXCEPTION(Error, Bf16Linear({&a.view, &b.view}));
        QVERIFY_THROWS_EXCEPTION(Error, Bf16Linear(std::vector<const LinearWeights*>{}));
        a.view.bias.shape = {3};
        QVERIFY_THROWS_EXCEPTION(Error, Bf16Linear({&a.view}));
        // An output row shorter than the layer's outputs would write past it.
        OwnedLinear c(4, 8, rng, true);
        const Bf16Linear packed({&c.view});
        std::vector<float> x(8, 1.0f), y(8, 0.0f);
        QVERIFY_THROWS_EXCEPTION(Error, packed.apply(x.data(), 1, y.data(), 3));
    }

    void zeroRowsIsANoOp()
    {
        std::mt19937 rng(3);
        OwnedLinear a(4, 8, rng, true);
        const Bf16Linear packed({&a.view});
        float untouched = 5.0f;
        packed.apply(nullptr, 0, &untouched, 4);
        QCOMPARE(untouched, 5.0f);
    }
};

QTEST_APPLESS_MAIN(Bf16LinearTest)
#include "test_bf16_linear.moc"
