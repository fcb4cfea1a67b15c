// Aligned allocation for AlignedVector: operator new with an alignment, plus huge-page advice for large buffers.
#include "training/aligned_buffer.h"

#include <sys/mman.h>

namespace bertlab {
namespace {

constexpr std::align_val_t kAlignment{64};
constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kHugeFrom = kHugePage;

} // namespace

void* allocateAligned(size_t bytes)
{
    if (bytes < kHugeFrom) return ::operator new(bytes, kAlignment);
    void* p = ::operator new(bytes, std::align_val_t{kHugePage});
    // Advice only: without transparent huge pages the buffer is ordinary memory.
    ::madvise(p, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);
    return p;
}

void freeAligned(void* p, size_t bytes) noexcept
{
    if (bytes < kHugeFrom) ::operator delete(p, kAlignment);
    else ::operator delete(p, std::align_val_t{kHugePage});
}

} // namespace bertlab
