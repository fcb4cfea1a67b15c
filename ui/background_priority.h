// Lowers the calling worker thread's CPU priority below the GUI thread's, for engine work started from the GUI.
#pragma once

namespace bertlab::ui {

// The engine's products keep both cores busy with two OpenMP threads; the GUI thread is then a
// third runnable thread and could wait tens of ms for a core (bench/attribution_bench.sh measured
// 51-56 ms gaps in the event loop). A worker thread that calls this first gets the nice value
// kBackgroundNice, and so do the OpenMP threads it later starts (Linux threads inherit it), so
// the scheduler hands a core to the GUI thread first. Once per thread; a no-op elsewhere than
// Linux and where the value is already at least as low a priority. Never fails the caller.
void lowerThisThreadsPriority();

inline constexpr int kBackgroundNice = 5;

} // namespace bertlab::ui
