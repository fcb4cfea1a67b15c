// Float buffers aligned to 64 bytes, so vectorised reductions sum in the same order every run; large ones on huge pages.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace bertlab {

// Memory for AlignedAllocator: 64-byte aligned; from 2 MiB on, 2 MiB aligned and advised to the
// kernel as huge pages (a pass's activations are written in full right after allocation, and on
// 4 KiB pages a virtual machine pays a page fault per 4 KiB: a quarter of an attribution call on
// BERT-Base). Throws std::bad_alloc like operator new.
void* allocateAligned(size_t bytes);
void freeAligned(void* p, size_t bytes) noexcept;

// Eigen peels unaligned elements before its packet loop, so the summation order of a reduction
// depends on where a buffer happens to start. A fixed alignment makes runs bit-reproducible.
template <typename T>
struct AlignedAllocator {
    using value_type = T;
    AlignedAllocator() = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U>&) noexcept {}
    T* allocate(size_t n) { return static_cast<T*>(allocateAligned(n * sizeof(T))); }
    void deallocate(T* p, size_t n) noexcept { freeAligned(p, n * sizeof(T)); }
    template <typename U>
    bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

} // namespace bertlab
