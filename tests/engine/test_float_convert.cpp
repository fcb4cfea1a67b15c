// Half-precision conversions: every half survives a round trip, and rounding is to nearest even.
#include "float_convert.h"

#include <QtTest>

#include <cmath>

using namespace bertlab;

class FloatConvertTest : public QObject {
    Q_OBJECT

private slots:
    void everyHalfRoundTrips()
    {
        for (uint32_t h = 0; h < 0x10000u; ++h) {
            const float f = halfToFloat(static_cast<uint16_t>(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(halfToFloat(floatToHalf(f))));
                continue;
            }
            QCOMPARE(floatToHalf(f), static_cast<uint16_t>(h));
        }
    }

    // Between two neighbouring halves, a float goes to the nearer one and a tie to the even one;
    // checked in double arithmetic, independently of the bit manipulation.
    void roundsToNearestEven()
    {
        for (uint32_t h = 0; h < 0x7bffu; h += 7) {
            const double lo = halfToFloat(static_cast<uint16_t>(h));
            const double hi = halfToFloat(static_cast<uint16_t>(h + 1));
            const double mid = (lo + hi) / 2;
            for (double t : {0.25, 0.5, 0.75}) {
                const float x = static_cast<float>(lo + (hi - lo) * t);
                if (static_cast<double>(x) <= lo || static_cast<double>(x) >= hi) continue;
                const uint16_t expected = static_cast<double>(x) < mid ? static_cast<uint16_t>(h)
                    : static_cast<double>(x) > mid                       ? static_cast<uint16_t>(h + 1)
                    : static_cast<uint16_t>((h & 1u) ? h + 1 : h);
                QCOMPARE(floatToHalf(x), expected);
                QCOMPARE(floatToHalf(-x), static_cast<uint16_t>(expected | 0x8000u));
            }
        }
        QCOMPARE(floatToHalf(65519.0f), static_cast<uint16_t>(0x7bffu));
        QCOMPARE(floatToHalf(65520.0f), static_cast<uint16_t>(0x7c00u));
        QCOMPARE(floatToHalf(1e-9f), static_cast<uint16_t>(0));
    }
};

QTEST_APPLESS_MAIN(FloatConvertTest)
#include "test_float_convert.moc"
