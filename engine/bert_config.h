// The architecture of a BERT, as Hugging Face's config.json (or Google's bert_config.json) states it.
#pragma once

#include <string>
#include <vector>

namespace bertlab {

enum class Activation { Gelu, GeluTanh, Relu };

// Which fine-tuned head config.json's `architectures` names (Hugging Face's class names).
enum class ClassifierTask { None, Sequence, Token };

struct BertConfig {
    int vocabSize = 30522;
    int hiddenSize = 768;
    int numHiddenLayers = 12;
    int numAttentionHeads = 12;
    int intermediateSize = 3072;
    Activation hiddenAct = Activation::Gelu;
    int maxPositionEmbeddings = 512;
    int typeVocabSize = 2;
    float layerNormEps = 1e-12f;
    float hiddenDropoutProb = 0.1f;
    float attentionDropoutProb = 0.1f;
    float initializerRange = 0.02f;
    int padTokenId = 0;
    std::vector<std::string> architectures;  // as config.json lists them; may be empty
    // id2label in id order (config.json's keys "0".."n-1"); empty when the file has none.
    std::vector<std::string> labels;

    // BertForSequenceClassification / BertForTokenClassification in `architectures`, else None.
    ClassifierTask classifierTask() const;

    int headSize() const { return hiddenSize / numAttentionHeads; }

    // Throws Error with a one-line message on bad JSON, missing or out-of-range fields.
    static BertConfig fromJson(const std::string& jsonText);
    static BertConfig fromFile(const std::string& path);
    std::string toJson() const;  // Hugging Face's keys, loadable by transformers' BertConfig
    void validate() const;
};

const char* activationName(Activation a);
const char* classifierTaskName(ClassifierTask task);  // "sequence", "token", "none"

} // namespace bertlab
