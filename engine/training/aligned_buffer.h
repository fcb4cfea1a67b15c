// Float buffers aligned to 64 bytes, so vectorised reductions sum in the same order every run.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace bertlab {

// Eigen peels unaligned elements before its packet loop, so the summation order of a reduction
// depends on where a buffer happens to start. A fixed alignment makes runs bit-reproducible.
template <typename T>
struct AlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    AlignedAllocator() = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U>&) noexcept {}
    T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, size_t) noexcept { ::operator delete(p, kAlignment); }
    template <typename U>
    bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

} // namespace bertlab
