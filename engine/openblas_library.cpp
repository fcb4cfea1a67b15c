// dlopen of the OpenMP OpenBLAS after setting OPENBLAS_CORETYPE, which OpenBLAS reads only while it loads.
//
// Why not link it: Debian's OpenBLAS picks its kernel from the CPU model number, and virtual CPUs
// that report a generic model ("Intel Xeon Processor") get the Prescott (SSE3) fallback, a quarter
// of the speed of the AVX-512 kernel on the same machine (26 vs 109 GFLOP/s per core measured on
// the development VM). The kernel can only be chosen by the environment before the library's
// constructor runs, so the engine loads the library itself, after deciding.
#include "openblas_library.h"

#include "error.h"

#include <cblas.h>
#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

#ifndef BERTLAB_OPENBLAS_PATH
#error "BERTLAB_OPENBLAS_PATH must name the OpenMP OpenBLAS shared library"
#endif

namespace bertlab {
namespace {

using SgemmFn = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float,
                         const float*, blasint, const float*, blasint, float, float*, blasint);
using CoreNameFn = char* (*)();

struct Library {
    SgemmFn sgemm = nullptr;
    BlasInfo info;
};

// The strongest OpenBLAS target this CPU and OS can run; empty: leave it to OpenBLAS.
const char* kernelForThisCpu()
{
    __builtin_cpu_init();
    // GCC's checks include the OS having enabled the AVX/AVX-512 register state (XCR0).
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    return "";
}

const Library& library()
{
    static Library lib;
    static std::once_flag once;
    static std::string failure;
    std::call_once(once, [] {
        const char* userChoice = std::getenv("OPENBLAS_CORETYPE");
        if (userChoice && *userChoice) {
            lib.info.coreSource = "OPENBLAS_CORETYPE";
        } else if (const char* core = kernelForThisCpu(); *core) {
            ::setenv("OPENBLAS_CORETYPE", core, 0);
            lib.info.coreSource = "chosen by bertlab from the CPU's features";
        } else {
            lib.info.coreSource = "OpenBLAS detection";
        }
        lib.info.library = BERTLAB_OPENBLAS_PATH;
        void* handle = ::dlopen(BERTLAB_OPENBLAS_PATH, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            failure = std::string("cannot load OpenBLAS (") + BERTLAB_OPENBLAS_PATH + "): " + (why ? why : "unknown error") +
                      "; install libopenblas0-openmp";
            return;
        }
        // Never closed: OpenBLAS's thread pools live until the process ends.
        lib.sgemm = reinterpret_cast<SgemmFn>(::dlsym(handle, "cblas_sgemm"));
        auto coreName = reinterpret_cast<CoreNameFn>(::dlsym(handle, "openblas_get_corename"));
        if (!lib.sgemm) {
            failure = std::string(BERTLAB_OPENBLAS_PATH) + " has no cblas_sgemm: not an OpenBLAS library";
            return;
        }
        lib.info.coreName = coreName ? coreName() : "unknown";
    });
    if (!lib.sgemm) throw Error(failure);
    return lib;
}

} // namespace

void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc)
{
    library().sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                    alpha, a, lda, b, ldb, beta, c, ldc);
}

const BlasInfo& blasInfo()
{
    return library().info;
}

} // namespace bertlab
