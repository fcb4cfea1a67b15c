// Anonymous memory that asks the kernel for 2 MiB pages, for weights read in full on every pass.
#pragma once

#include <cstddef>
#include <memory>

namespace bertlab {

// A forward pass over BERT-Base streams 430 MB of weights through the caches; on 4 KiB pages
// that is 100,000 TLB misses a pass. Huge pages cut a weight-streaming sgemm test by about a
// tenth here. Works where the kernel offers THP ("always" or "madvise"); elsewhere it is
// ordinary memory.
class HugePageBuffer {
public:
    // Throws Error (one line) when the memory cannot be mapped.
    static std::shared_ptr<HugePageBuffer> allocate(size_t bytes);
    // Whether the kernel would back an madvise'd mapping with huge pages at all.
    static bool available();
    // MemAvailable from /proc/meminfo in bytes; 0 when unknown.
    static size_t availableMemory();

    ~HugePageBuffer();
    HugePageBuffer(const HugePageBuffer&) = delete;
    HugePageBuffer& operator=(const HugePageBuffer&) = delete;

    float* floats() { return static_cast<float*>(data_); }
    size_t size() const { return size_; }

private:
    HugePageBuffer() = default;
    void* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace bertlab
