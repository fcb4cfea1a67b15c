// `bertlab-cli bench MODEL [--seq N] [--batch B] [--iters K] [--mode encoder|fill-mask] [--precision f32|bf16] [--json]`.
#include "command.h"
#include "model_arguments.h"

#include "blas.h"
#include "error.h"
#include "model_io.h"
#include "openblas_library.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace bertlab::cli {
namespace {

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

int runBench(const Args& args)
{
    const std::string path = args.requirePositional(0, "MODEL");
    const int seq = args.getInt("--seq", 128);
    const int batch = args.getInt("--batch", 1);
    const int iters = args.getInt("--iters", 10);
    const std::string mode = args.get("--mode", "encoder");
    if (mode != "encoder" && mode != "fill-mask") throw Error("--mode must be encoder or fill-mask");
    if (seq < 2 || batch < 1 || iters < 1) throw Error("--seq must be at least 2, --batch and --iters at least 1");
    const std::string precisionName = args.get("--precision", "f32");
    if (precisionName != "f32" && precisionName != "bf16") throw Error("--precision must be f32 or bf16");
    const Precision precision = precisionName == "bf16" ? Precision::Bfloat16 : Precision::Float32;

    const auto loadStart = std::chrono::steady_clock::now();
    const auto model = loadModel(resolveModelArgument(path));
    // The explorer's preview precision: the bfloat16 copies are part of loading, as in the GUI.
    if (precision == Precision::Bfloat16 && !model->prepareBfloat16())
        throw Error("--precision bf16 needs a CPU with native bfloat16 (AMX or AVX-512 BF16)");
    const double loadMs = msSince(loadStart);
    const double rssAfterLoad = peakRssMb();
    if (seq > model->config().maxPositionEmbeddings)
        throw Error("--seq " + std::to_string(seq) + " exceeds the model's " +
                    std::to_string(model->config().maxPositionEmbeddings) + " positions");

    // Random word ids (seeded) between [CLS] and [SEP]; the second half is segment B.
    const Vocab& vocab = model->vocab();
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> word(std::min(1000, vocab.size() - 1), vocab.size() - 1);
    std::vector<Encoding> inputs(static_cast<size_t>(batch));
    for (Encoding& e : inputs) {
        for (int i = 0; i < seq; ++i) {
            int id = i == 0 ? vocab.clsId() : (i == seq - 1 || i == seq / 2) ? vocab.sepId() : word(rng);
            e.ids.push_back(id);
            e.typeIds.push_back(i > seq / 2 ? 1 : 0);
            e.tokens.push_back(vocab.token(id));
        }
    }
    Probe probe;
    probe.pooled = model->weights().pooler.has_value();
    if (mode == "fill-mask") {
        if (!model->hasMlm()) throw Error("this model has no masked-LM head to benchmark");
        for (int i = 1; i < seq - 1; i += 7) probe.mlmPositions.push_back(i);  // ~15% of the tokens
        for (Encoding& e : inputs)
            for (int p : probe.mlmPositions) e.ids[static_cast<size_t>(p)] = vocab.maskId();
        probe.nsp = model->hasNsp();
        probe.pooled = false;
    }

    model->forwardBatch(inputs, probe, {}, precision);  // warm-up: first-touch of mapped weights, thread start
    std::vector<double> times;
    for (int i = 0; i < iters; ++i) {
        const auto start = std::chrono::steady_clock::now();
        model->forwardBatch(inputs, probe, {}, precision);
        times.push_back(msSince(start));
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    nlohmann::json j = {{"median_ms", median},
                        {"min_ms", times.front()},
                        {"load_ms", loadMs},
                        {"rss_after_load_mb", rssAfterLoad},
                        {"peak_rss_mb", peakRssMb()},
                        {"seq", seq},
                        {"batch", batch},
                        {"iters", iters},
                        {"mode", mode},
                        {"precision", precisionName},
                        {"threads", engineThreads()},
                        {"blas_core", blasInfo().coreName},
                        {"blas_core_source", blasInfo().coreSource},
                        {"masked_positions", probe.mlmPositions.size()}};
    if (args.has("--json"))
        std::printf("%s\n", j.dump().c_str());
    else
        std::printf("%s %s batch %d seq %d: median %.2f ms (load %.0f ms, peak RSS %.0f MB, %d threads, OpenBLAS %s kernel, %s)\n",
                    mode.c_str(), precisionName.c_str(), batch, seq, median, loadMs, peakRssMb(), engineThreads(),
                    blasInfo().coreName.c_str(), blasInfo().coreSource.c_str());
    return 0;
}

const CommandRegistration registration(
    {"bench",
     "bench MODEL [--seq N] [--batch B] [--iters K] [--mode encoder|fill-mask] "
                                        "[--precision f32|bf16] [--json]",
     "Times the forward pass on this machine (median of several runs).",
     {modelPositional()},
     {wholeOption("--seq", "N", "tokens per sequence (default 128)"),
      wholeOption("--batch", "B", "sequences per pass (default 1)"),
      wholeOption("--iters", "K", "timed passes (default 10)"),
      textOption("--mode", "encoder|fill-mask", "what to time (default encoder)"),
      textOption("--precision", "f32|bf16", "arithmetic (default f32; bf16 needs a CPU with native bfloat16)"),
      jsonOption()},
     runBench});

} // namespace
} // namespace bertlab::cli
