// mmap + madvise(MADV_HUGEPAGE) for weight storage; unmapped with the last owner.
#include "huge_page_buffer.h"

#include "error.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace bertlab {

bool HugePageBuffer::available()
{
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    if (!std::getline(in, line))
        return false;
    return line.find("[always]") != std::string::npos || line.find("[madvise]") != std::string::npos;
}

size_t HugePageBuffer::availableMemory()
{
    // Line by line: some fields (HugePages_Total) have no unit.
    std::ifstream in("/proc/meminfo");
    std::string line;
    const std::string key = "MemAvailable:";
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return static_cast<size_t>(std::stoull(line.substr(key.size()))) * 1024;  // reported in kB
    return 0;
}

std::shared_ptr<HugePageBuffer> HugePageBuffer::allocate(size_t bytes)
{
    std::shared_ptr<HugePageBuffer> buffer(new HugePageBuffer);
    if (bytes == 0)
        return buffer;
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        throw Error("cannot reserve " + std::to_string(bytes >> 20) + " MB for the weights: " + std::strerror(errno));
    // Advice only: a kernel without THP keeps 4 KiB pages and everything still works.
    ::madvise(p, bytes, MADV_HUGEPAGE);
    buffer->data_ = p;
    buffer->size_ = bytes;
    return buffer;
}

HugePageBuffer::~HugePageBuffer()
{
    if (data_)
        ::munmap(data_, size_);
}

} // namespace bertlab
