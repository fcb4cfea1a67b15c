// A read-only file mapped into memory for as long as any tensor view borrows from it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace bertlab {

// Views hold the mapping through TensorView::owner (a shared_ptr), so the bytes stay valid
// after the reader returns. Replacing the file by rename leaves this mapping untouched.
class MappedFile {
public:
    // Throws Error (one line, naming the file) if it cannot be opened or mapped.
    static std::shared_ptr<const MappedFile> open(const std::string& path);

    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const unsigned char* data() const { return data_; }
    size_t size() const { return size_; }
    const std::string& path() const { return path_; }
    bool contains(const void* p) const;  // p points into the mapped bytes

private:
    MappedFile() = default;
    std::string path_;
    const unsigned char* data_ = nullptr;
    size_t size_ = 0;
};

} // namespace bertlab
