// The explorer's memory policy: huge pages for the weights it streams on every pause, bfloat16 copies where they pay.
#include "explorer_model_loader.h"

#include "bf16_linear.h"
#include "huge_page_buffer.h"
#include "model_io.h"

#include <cstdio>
#include <exception>

namespace bertlab {

namespace {

// The copies and the float32 weights live together; with less than this many times the copies
// free, the rest of the machine would start to page.
constexpr uint64_t kFreeMemoryPerCopyByte = 4;

constexpr const char* kNoNativeBfloat16 = "off: this CPU has no native bfloat16 (AMX or AVX-512 BF16)";

MemoryChoice decideHugePages(BertModel& model, const ExplorerLoadOptions& options)
{
    if (!options.hugePages)
        return {false, "off: not asked for"};
    if (!HugePageBuffer::available())
        return {false, "off: the kernel offers no transparent huge pages"};
    try {
        if (model.packWeights())
            return {true, "on: the weights sit on 2 MiB pages"};
        return {false, "off: free memory is short of twice the weights (" +
                           formatMemorySize(model.info().weightBytes) + ")"};
    } catch (const std::exception& e) {
        return {false, std::string("off: ") + e.what()};
    }
}

} // namespace

std::string formatMemorySize(int64_t bytes)
{
    const double kib = static_cast<double>(bytes) / 1024.0, mib = kib / 1024.0;
    char text[32];
    if (mib >= 1024.0)
        std::snprintf(text, sizeof text, "%.2f GiB", mib / 1024.0);
    else if (mib >= 100.0)  // whole MiB read better in a sentence ("under the 200 MiB")
        std::snprintf(text, sizeof text, "%.0f MiB", mib);
    else if (mib >= 1.0)
        std::snprintf(text, sizeof text, "%.1f MiB", mib);
    else if (kib >= 1.0)
        std::snprintf(text, sizeof text, "%.1f KiB", kib);
    else
        std::snprintf(text, sizeof text, "%lld bytes", static_cast<long long>(bytes));
    return text;
}

MemoryChoice decidePreview(const PreviewFacts& facts, const ExplorerLoadOptions& options)
{
    if (!options.preview)
        return {false, "off: not asked for", MemoryChoice::Rule::NotAsked};
    if (!facts.nativeBfloat16)
        return {false, kNoNativeBfloat16, MemoryChoice::Rule::NoNativeBfloat16};
    if (facts.weightBytes < options.previewMinimumWeightBytes)
        return {false, "not needed: " + formatMemorySize(facts.weightBytes) + " of float32 weights, under the " +
                           formatMemorySize(options.previewMinimumWeightBytes) +
                           " where a bfloat16 preview pays off",
                MemoryChoice::Rule::SmallModel, facts.weightBytes, options.previewMinimumWeightBytes};
    const uint64_t needed = kFreeMemoryPerCopyByte * static_cast<uint64_t>(facts.copyBytes);
    if (facts.freeMemory != 0 && facts.freeMemory <= needed)
        return {false, "off: " + formatMemorySize(static_cast<int64_t>(facts.freeMemory)) +
                           " of free memory, under four times the " + formatMemorySize(facts.copyBytes) +
                           " of bfloat16 copies",
                MemoryChoice::Rule::ShortOfMemory, static_cast<int64_t>(facts.freeMemory), facts.copyBytes};
    return {true, "on: bfloat16 copies, " + formatMemorySize(facts.copyBytes), MemoryChoice::Rule::Made,
            facts.copyBytes};
}

PreviewFacts previewFacts(const BertModel& model)
{
    PreviewFacts facts;
    facts.weightBytes = model.info().weightBytes;
    facts.copyBytes = model.info().parameterCount * 2;  // every matrix once more at 2 bytes a weight
    facts.nativeBfloat16 = nativeBfloat16Available();
    facts.freeMemory = HugePageBuffer::availableMemory();
    return facts;
}

MemoryDecision applyMemoryPolicy(BertModel& model, const ExplorerLoadOptions& options)
{
    MemoryDecision decision;
    // Huge pages first: the bfloat16 copies are packed from the weights wherever they then live.
    decision.hugePages = decideHugePages(model, options);
    decision.preview = decidePreview(previewFacts(model), options);
    if (!decision.preview.on)
        return decision;
    try {
        if (!model.prepareBfloat16()) {
            decision.preview = {false, kNoNativeBfloat16, MemoryChoice::Rule::NoNativeBfloat16};
        } else {  // the packed size, not the estimate
            decision.preview.bytes = model.bfloat16Bytes();
            decision.preview.reason = "on: bfloat16 copies, " + formatMemorySize(decision.preview.bytes);
        }
    } catch (const std::exception& e) {
        decision.preview = {false, std::string("off: the bfloat16 copies could not be made: ") + e.what()};
    }
    return decision;
}

ExplorerModel loadExplorerModel(const std::string& path, const ExplorerLoadOptions& options)
{
    const std::shared_ptr<BertModel> model = loadModel(path);
    ExplorerModel result;
    result.memory = applyMemoryPolicy(*model, options);
    result.model = model;
    return result;
}

} // namespace bertlab
