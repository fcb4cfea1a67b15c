// Opens a model for the interactive explorer and decides its memory (huge pages, bfloat16 copies), with the reasons.
#pragma once

#include "bert_model.h"

#include <cstdint>
#include <memory>
#include <string>

namespace bertlab {

// Below this much float32 weight a pass is fast enough on its own (the demo model's takes about
// 5 ms): a bfloat16 preview would only delay the exact analysis. BERT-Base has 420 MiB.
inline constexpr int64_t kPreviewMinimumWeightBytes = int64_t(200) << 20;

struct ExplorerLoadOptions {
    bool hugePages = true;  // copy the weights onto transparent huge pages where that is possible
    bool preview = true;    // bfloat16 copies for a fast preview, where they pay off
    int64_t previewMinimumWeightBytes = kPreviewMinimumWeightBytes;
};

// One memory choice and why, in a line a user can read ("off: this CPU has no native bfloat16 …"),
// and for the preview also as the rule and sizes, which a translated window words itself.
struct MemoryChoice {
    // Which rule decided the preview (Other: the huge-page choice, or an error told in `reason`).
    enum class Rule { Other, NotAsked, NoNativeBfloat16, SmallModel, ShortOfMemory, Made };
    bool on = false;
    std::string reason;
    Rule rule = Rule::Other;
    // SmallModel: the weights and the minimum; ShortOfMemory: the free memory and the copies' size;
    // Made: the copies' size.
    int64_t bytes = 0, limitBytes = 0;
};

struct MemoryDecision {
    MemoryChoice hugePages;
    MemoryChoice preview;  // on: the model has its bfloat16 copies (BertModel::hasBfloat16)
};

// What the preview decision rests on, gathered apart from the model so the rule can be read and
// tested on any CPU.
struct PreviewFacts {
    int64_t weightBytes = 0;      // float32 weights
    int64_t copyBytes = 0;        // what the bfloat16 copies would take
    bool nativeBfloat16 = false;  // nativeBfloat16Available()
    uint64_t freeMemory = 0;      // MemAvailable; 0 when unknown
};

// Whether to make the bfloat16 copies: asked for, a CPU that multiplies bfloat16 natively (elsewhere
// oneDNN emulates it, slower than float32), a model big enough that float32 is slow, and free
// memory for four times the copies (they must never push the machine into swap).
MemoryChoice decidePreview(const PreviewFacts& facts, const ExplorerLoadOptions& options);

// The facts for `model` on this machine.
PreviewFacts previewFacts(const BertModel& model);

// Applies the policy to a loaded model not yet shared with other threads. Never throws: a copy
// that fails leaves the model as it was and says so in the reason.
MemoryDecision applyMemoryPolicy(BertModel& model, const ExplorerLoadOptions& options);

struct ExplorerModel {
    std::shared_ptr<const BertModel> model;
    MemoryDecision memory;
};

// loadModel, then applyMemoryPolicy. Throws Error (one line) only when the model cannot be loaded.
ExplorerModel loadExplorerModel(const std::string& path, const ExplorerLoadOptions& options = {});

// "482.2 KiB", "1.7 MiB", "420 MiB", "1.25 GiB": the sizes in the reasons.
std::string formatMemorySize(int64_t bytes);

} // namespace bertlab
