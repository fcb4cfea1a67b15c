// Per-thread nice value for the explorer's engine workers (Linux), see background_priority.h.
#include "background_priority.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace bertlab::ui {

void lowerThisThreadsPriority()
{
#if defined(__linux__)
    // On Linux, PRIO_PROCESS with a thread id sets that one thread's nice value, not the process's.
    const id_t self = static_cast<id_t>(gettid());
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, self);
    if (errno != 0 || now >= kBackgroundNice)
        return;
    // Raising one's own nice value needs no privilege; a refusal only leaves the priority as it was.
    setpriority(PRIO_PROCESS, self, kBackgroundNice);
#endif
}

} // namespace bertlab::ui
