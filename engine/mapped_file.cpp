// POSIX mmap of a whole read-only file, unmapped when the last view lets go.
#include "mapped_file.h"

#include "error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bertlab {

namespace {

// Closes the descriptor on every path out of open(); the mapping outlives it.
struct FdGuard {
    int fd;
    ~FdGuard() { if (fd >= 0) ::close(fd); }
};

} // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path)
{
    FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0) throw Error("Cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) throw Error("Cannot read " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw Error("Cannot read " + path + ": not a regular file");

    std::shared_ptr<MappedFile> file(new MappedFile());
    file->path_ = path;
    file->size_ = static_cast<size_t>(st.st_size);
    if (file->size_ == 0) return file;  // mmap rejects length 0; an empty file has no bytes to map

    void* p = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd.fd, 0);
    if (p == MAP_FAILED) throw Error("Cannot map " + path + " into memory: " + std::strerror(errno));
    file->data_ = static_cast<const unsigned char*>(p);
    return file;
}

MappedFile::~MappedFile()
{
    if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
}

bool MappedFile::contains(const void* p) const
{
    auto* b = static_cast<const unsigned char*>(p);
    return data_ && b >= data_ && b < data_ + size_;
}

} // namespace bertlab
