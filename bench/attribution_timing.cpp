// Times bertlab's attribution and head importance on one input (bench/attribution_bench.sh runs it beside PyTorch).
// Usage: attribution-timing MODEL IDS_FILE --what grad-input|ig|sweep|gradient --target T [--steps N] [--iters K]
//                           [--weights packed|as-loaded]
// IDS_FILE: "ids" then "types" lines of whitespace-separated integers. Prints {"what", "median_ms", "min_ms", "runs_ms",
// "kernel", "products", "weights"}. Weights packed (BertModel::packWeights) by default, as the explorer holds them.
#include "attribution/head_importance.h"
#include "attribution/input_attribution.h"
#include "bert_model.h"
#include "error.h"
#include "faster_float_products.h"
#include "model_io.h"
#include "openblas_library.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace bertlab;

namespace {

std::vector<int> readLine(std::ifstream& in)
{
    std::string line;
    std::getline(in, line);
    std::istringstream s(line);
    std::vector<int> v;
    for (int x; s >> x;) v.push_back(x);
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        initBlas();  // before any thread, as bertlab-cli does
        if (argc < 3) throw Error("usage: attribution-timing MODEL IDS_FILE --what W --target T [--steps N] [--iters K]");
        std::string what = "grad-input", target = "mlm:32";
        std::string weights = "packed";
        int steps = 32, iters = 3;
        for (int i = 3; i + 1 < argc; i += 2) {
            const std::string flag = argv[i], value = argv[i + 1];
            if (flag == "--what") what = value;
            else if (flag == "--target") target = value;
            else if (flag == "--steps") steps = std::stoi(value);
            else if (flag == "--iters") iters = std::stoi(value);
            else if (flag == "--weights") {
                if (value != "packed" && value != "as-loaded")
                    throw Error("--weights \"" + value + "\" is not packed or as-loaded");
                weights = value;
            }
            else throw Error("unknown option " + flag);
        }
        const auto model = loadModel(argv[1]);
        // As the explorer and bertlab-cli's long jobs hold them: packed (BertModel::packWeights).
        const bool packed = weights == "packed" && model->packWeights();
        std::ifstream in(argv[2]);
        Encoding e;
        e.ids = readLine(in);
        e.typeIds = readLine(in);
        const AttributionTarget t = AttributionTarget::parse(target);
        auto once = [&] {
            if (what == "sweep" || what == "gradient") {
                headImportance(*model, e, t, what == "sweep" ? ImportanceMethod::Sweep : ImportanceMethod::Gradient);
                return;
            }
            AttributionRequest r;
            r.target = t;
            r.method = *parseAttributionMethod(what);
            r.steps = steps;
            attributeInputs(*model, e, r);
        };
        once();  // warm-up: buffers, OpenBLAS threads, page faults
        std::vector<double> runs;
        for (int i = 0; i < iters; ++i) {
            const auto start = std::chrono::steady_clock::now();
            once();
            runs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        std::vector<double> sorted = runs;
        std::sort(sorted.begin(), sorted.end());
        std::printf("{\"what\": \"%s\", \"median_ms\": %.1f, \"min_ms\": %.1f, \"runs_ms\": [", what.c_str(),
                    sorted[sorted.size() / 2], sorted.front());
        for (size_t i = 0; i < runs.size(); ++i) std::printf("%s%.1f", i ? ", " : "", runs[i]);
        std::printf("], \"kernel\": \"%s (%s)\", \"products\": \"%s\", \"weights\": \"%s\"}\n",
                    blasInfo().coreName.c_str(), blasInfo().coreSource.c_str(), fasterFloatProductsSummary().c_str(),
                    packed ? "packed" : "as loaded");
        return 0;
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "error: %s\n", ex.what());
        return 1;
    }
}
