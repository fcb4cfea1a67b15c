// dlopen of the OpenMP OpenBLAS after setting OPENBLAS_CORETYPE, which OpenBLAS reads only while it loads.
//
// Why not link it: Debian's OpenBLAS picks its kernel from the CPU model number, and virtual CPUs
// that report a generic model ("Intel Xeon Processor") get the Prescott (SSE3) fallback, a quarter
// of the speed of the AVX-512 kernel on the same machine (26 vs 109 GFLOP/s per core measured on
// the development VM). The kernel can only be chosen by the environment before the library's
// constructor runs, so the engine loads the library itself, after deciding. Loading it by path
// also picks the OpenMP build (one thread pool with oneDNN and our loops) whatever Debian's
// libblas alternative points at.
//
// setenv is not thread-safe, so this happens once in initBlas(), called by each main before any
// thread starts; the variable is put back as it was right after the load.
//
// oneDNN's sgemm was measured against this one on BERT's shapes (bench/sgemm_bench.sh,
// docs/performance.md): training steps run on it (FloatProductsScope), everything else on OpenBLAS;
// BERTLAB_SGEMM=onednn routes every product through it and BERTLAB_SGEMM=openblas none, for comparisons.
#include "openblas_library.h"

#include "error.h"

#include <cblas.h>
#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string>

#ifndef BERTLAB_LIBRARY_ARCHITECTURE
#error "BERTLAB_LIBRARY_ARCHITECTURE must name the multiarch folder (CMAKE_LIBRARY_ARCHITECTURE)"
#endif

namespace bertlab {
namespace {

// Where Debian's libopenblas0-openmp installs the OpenMP build, beside the pthread one.
constexpr const char* kLibraryPath = "/usr/lib/" BERTLAB_LIBRARY_ARCHITECTURE "/openblas-openmp/libopenblas.so.0";

using SgemmFn = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float,
                         const float*, blasint, const float*, blasint, float, float*, blasint);
using CoreNameFn = char* (*)();

struct Library {
    SgemmFn sgemm = nullptr;
    bool onednn = false;     // BERTLAB_SGEMM=onednn: every product on oneDNN
    bool openBlasOnly = false;  // BERTLAB_SGEMM=openblas: every product on OpenBLAS, scopes ignored
    BlasInfo info;
};

thread_local FloatProducts tThreadProducts = FloatProducts::OpenBlas;

// A function's static, so initBlas also works from another file's static initialiser (the tests').
Library& loaded()
{
    static Library lib;
    return lib;
}
// Constant-initialised. Release/acquire: a thread that sees true also sees loaded() filled in.
std::atomic<bool> ready{false};

// The strongest OpenBLAS target this CPU and OS can run; empty: leave it to OpenBLAS.
const char* kernelForThisCpu()
{
    __builtin_cpu_init();
    // GCC's checks include the OS having enabled the AVX/AVX-512 register state (XCR0).
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    // AVX without AVX2 (Sandy and Ivy Bridge, in the same virtual-CPU disguise).
    if (__builtin_cpu_supports("avx")) return "Sandybridge";
    // Older CPUs (SSE only) are left to OpenBLAS, which knows their models better than a feature
    // list; its fallback for an unknown one, Prescott's SSE3 kernel, is what they would run anyway.
    return "";
}

// How wide a named kernel's vectors are: 3 AVX-512, 2 AVX2, 1 AVX, 0 anything else (SSE or unknown).
int kernelLevel(const std::string& name)
{
    for (const char* k : {"SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS"})
        if (name == k) return 3;
    for (const char* k : {"HASWELL", "ZEN", "EXCAVATOR", "STEAMROLLER"})
        if (name == k) return 2;
    for (const char* k : {"SANDYBRIDGE", "BULLDOZER", "PILEDRIVER"})
        if (name == k) return 1;
    return 0;
}

std::string upper(std::string s)
{
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

const Library& library()
{
    if (!ready.load(std::memory_order_acquire))
        throw Error("BLAS used before bertlab::initBlas(): the program must call it at the start of main");
    return loaded();
}

} // namespace

void initBlas()
{
    if (ready.load(std::memory_order_acquire)) return;
    Library lib;
    lib.info.library = kLibraryPath;
    // OPENBLAS_CORETYPE is often set for a whole machine, for other programs (this project's own
    // development machine sets Haswell on an AVX-512 CPU, which made bertlab's products 1.6-4x
    // slower). So it is followed unless it names an older kernel than this CPU runs; then bertlab
    // picks its own, and says so. BERTLAB_OPENBLAS_CORETYPE always wins, to force any kernel.
    const char* forced = std::getenv("BERTLAB_OPENBLAS_CORETYPE");
    const char* userChoice = std::getenv("OPENBLAS_CORETYPE");
    const std::string before = userChoice ? userChoice : "";
    const char* ours = kernelForThisCpu();
    const char* choice = nullptr;
    if (forced && *forced) {
        choice = forced;
        lib.info.coreSource = "BERTLAB_OPENBLAS_CORETYPE";
    } else if (!before.empty() && kernelLevel(upper(before)) >= kernelLevel(upper(ours))) {
        lib.info.coreSource = "OPENBLAS_CORETYPE";
    } else if (*ours) {
        choice = ours;
        lib.info.coreSource = before.empty() ? "chosen by bertlab from the CPU's features"
                                             : "chosen by bertlab from the CPU's features, over OPENBLAS_CORETYPE=" +
                                                   before + " (an older kernel; BERTLAB_OPENBLAS_CORETYPE forces one)";
    } else {
        lib.info.coreSource = before.empty() ? "OpenBLAS detection" : "OPENBLAS_CORETYPE";
    }
    const bool setByUs = choice && ::setenv("OPENBLAS_CORETYPE", choice, 1) == 0;
    void* handle = ::dlopen(kLibraryPath, RTLD_NOW | RTLD_LOCAL);
    // Child processes (bertlab-cli started by the GUI or a test) see the environment as it was.
    if (setByUs) {
        if (before.empty()) ::unsetenv("OPENBLAS_CORETYPE");
        else ::setenv("OPENBLAS_CORETYPE", before.c_str(), 1);
    }
    if (!handle) {
        const char* why = ::dlerror();
        throw Error(std::string("cannot load OpenBLAS (") + kLibraryPath + "): " + (why ? why : "unknown error") +
                    "; install libopenblas0-openmp");
    }
    // Never closed: OpenBLAS's thread pools live until the process ends.
    lib.sgemm = reinterpret_cast<SgemmFn>(::dlsym(handle, "cblas_sgemm"));
    if (!lib.sgemm) throw Error(std::string(kLibraryPath) + " has no cblas_sgemm: not an OpenBLAS library");
    auto coreName = reinterpret_cast<CoreNameFn>(::dlsym(handle, "openblas_get_corename"));
    lib.info.coreName = coreName ? coreName() : "unknown";
    // OpenBLAS ignores a name it does not know and detects the CPU itself: say so.
    if (forced && *forced && coreName && upper(lib.info.coreName) != upper(forced))
        lib.info.coreSource = "BERTLAB_OPENBLAS_CORETYPE=" + std::string(forced) +
                              " names no kernel OpenBLAS knows; OpenBLAS detected the CPU";
    // For benchmarks only: one library for every product, to compare whole passes (docs/performance.md).
    const char* product = std::getenv("BERTLAB_SGEMM");
    if (product && std::string(product) == "openblas") {
        lib.openBlasOnly = true;
        lib.info.coreSource += "; BERTLAB_SGEMM=openblas: training products too";
    }
    if (product && std::string(product) == "onednn") {
        lib.onednn = true;
        const dnnl_version_t* v = dnnl_version();
        lib.info.library = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                           std::to_string(v->patch) + " (dnnl_sgemm), OpenBLAS loaded but unused";
        lib.info.coreName = "oneDNN";
        lib.info.coreSource = "BERTLAB_SGEMM=onednn";
    }
    loaded() = std::move(lib);
    ready.store(true, std::memory_order_release);
}

FloatProductsScope::FloatProductsScope(FloatProducts products) : previous_(tThreadProducts)
{
    tThreadProducts = products;
}

FloatProductsScope::~FloatProductsScope()
{
    tThreadProducts = previous_;
}

FloatProducts threadFloatProducts()
{
    return tThreadProducts;
}

void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc)
{
    const Library& lib = library();
    if (lib.onednn || (tThreadProducts == FloatProducts::OneDnn && !lib.openBlasOnly)) {
        const dnnl_status_t status =
            dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (status != dnnl_success)
            throw Error("oneDNN's sgemm rejected a product of " + std::to_string(m) + " x " + std::to_string(n) +
                        " x " + std::to_string(k));
        return;
    }
    lib.sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, alpha,
              a, lda, b, ldb, beta, c, ldc);
}

const BlasInfo& blasInfo()
{
    return library().info;
}

} // namespace bertlab
