// How long the GUI thread goes without serving events: a 10 ms timer and the largest gap between its ticks.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

namespace bertlab::bench {

// The explorer's responsiveness target: no gap of 50 ms or more.
constexpr qint64 kEventLoopTargetMs = 50;

struct GapMeter {
    QElapsedTimer clock;
    QTimer ticker;
    qint64 last = 0, worst = 0;
    int ticks = 0, overTarget = 0;

    GapMeter()
    {
        ticker.setInterval(10);
        ticker.setTimerType(Qt::PreciseTimer);
        QObject::connect(&ticker, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            if (now - last >= kEventLoopTargetMs) ++overTarget;
            last = now;
            ++ticks;
        });
        clock.start();
        ticker.start();
    }
    void reset()
    {
        last = clock.elapsed();
        worst = 0;
        ticks = overTarget = 0;
    }
};

} // namespace bertlab::bench
