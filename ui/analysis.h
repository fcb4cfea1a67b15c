// One finished engine run for the user's input, as every view reads it (views never call the engine).
#pragma once

#include "attribution/head_ablation.h"
#include "bert_model.h"
#include "tokenizer.h"
#include "trace.h"

#include <QString>

#include <memory>
#include <vector>

namespace bertlab::ui {

struct ClassifierOutput;

struct AnalysisRequest {
    QString textA;
    QString textB;                 // empty: single sentence
    std::vector<int> maskedTokens; // token positions the user toggled to [MASK]
    int topK = 10;
    quint64 serial = 0;            // newer requests supersede older ones
    // No view on screen shows masked-word guesses: deliver everything else first, then the same
    // analysis again with the MLM head's guesses and logit lens added (Analysis::mlmPending).
    bool deferMlm = false;
    // Run first in bfloat16 (where the model has prepareBfloat16'd) and deliver that at once,
    // then the float32 analysis, complete: the views follow typing at a fraction of the exact
    // pass's cost. With deferMlm too, the bfloat16 delivery comes without the guesses.
    bool preview = false;
    // Heads switched off (Probe::headMultipliers); with any off, the worker also runs the intact
    // model so the views can show before and after (Analysis::intact).
    HeadAblation ablation;
};

struct Analysis {
    AnalysisRequest request;
    std::shared_ptr<const BertModel> model;
    Encoding original;             // the tokens before the user's masks were applied
    Encoding encoding;             // what the model saw ([MASK] at masked positions)
    Trace trace;                   // Probe::everything at every [MASK] position, under request.ablation
    // Only when request.ablation switches heads off: the intact model's MLM guesses (with their
    // vocabulary logits), logit lens and NSP for the same tokens, as the "before" of each view.
    std::shared_ptr<const Trace> intact;
    // True while trace.mlm / trace.logitLens are still to come (see AnalysisRequest::deferMlm).
    bool mlmPending = false;
    // True for the bfloat16 first delivery of a preview request; the float32 one is still to come.
    bool preview = false;
    double elapsedMs = 0.0;
    // A fine-tuned model's classifier on the same input (exact passes only; the Classifier tab).
    std::shared_ptr<const ClassifierOutput> classification;        // with the switched-off heads off
    std::shared_ptr<const ClassifierOutput> intactClassification;  // every head on; only when some are off
    QString classificationError;  // why the classifier could not answer (e.g. too many wordpieces)

    // Whether the worker owes a second delivery for the same request.
    bool followUpPending() const { return mlmPending || preview; }
};

using AnalysisPtr = std::shared_ptr<const Analysis>;

} // namespace bertlab::ui
