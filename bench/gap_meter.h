// How long the GUI thread goes without serving events: a 10 ms timer and the largest gap between its ticks.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <ctime>

namespace bertlab::bench {

// The explorer's responsiveness target: no gap of 50 ms or more.
constexpr qint64 kEventLoopTargetMs = 50;

struct GapMeter {
    QElapsedTimer clock;
    QTimer ticker;
    qint64 last = 0, worst = 0;
    // The GUI thread's own CPU time within the longest gap: near the gap's length, the thread was
    // busy (drawing, say); near zero, it was ready but not scheduled (busy cores, a shared host).
    qint64 lastCpuUs = 0, worstOwnMs = 0;
    int ticks = 0, overTarget = 0;

    static qint64 threadCpuUs()
    {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<qint64>(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
    }

    GapMeter()
    {
        ticker.setInterval(10);
        ticker.setTimerType(Qt::PreciseTimer);
        QObject::connect(&ticker, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed(), cpu = threadCpuUs();
            if (now - last > worst) {
                worst = now - last;
                worstOwnMs = (cpu - lastCpuUs) / 1000;
            }
            if (now - last >= kEventLoopTargetMs) ++overTarget;
            last = now;
            lastCpuUs = cpu;
            ++ticks;
        });
        clock.start();
        ticker.start();
    }
    void reset()
    {
        last = clock.elapsed();
        lastCpuUs = threadCpuUs();
        worst = worstOwnMs = 0;
        ticks = overTarget = 0;
    }
};

} // namespace bertlab::bench
