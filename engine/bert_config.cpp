// Reading, checking and writing BERT's config.json (Hugging Face) / bert_config.json (Google).
#include "bert_config.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace bertlab {

namespace {

using nlohmann::json;

// Required integer field: Google's and Hugging Face's files both always carry these.
int requireInt(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end()) throw Error(std::string("config has no \"") + key + "\"");
    if (it->is_number_integer()) {
        const int64_t v = it->get<int64_t>();
        if (v < INT32_MIN || v > INT32_MAX) throw Error(std::string("config \"") + key + "\" is out of range");
        return static_cast<int>(v);
    }
    if (it->is_number_float()) {
        const double d = it->get<double>();
        if (std::floor(d) == d && std::fabs(d) < 2e9) return static_cast<int>(d);
    }
    throw Error(std::string("config \"") + key + "\" is not an integer");
}

int optionalInt(const json& j, const char* key, int fallback)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    return requireInt(j, key);
}

float optionalFloat(const json& j, const char* key, float fallback)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_number()) throw Error(std::string("config \"") + key + "\" is not a number");
    return static_cast<float>(it->get<double>());
}

// Writes a float as the shortest decimal that reads back to it, so 1e-12f is "1e-12" in the file.
json floatJson(float f)
{
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, f);
    return std::stod(std::string(buf, res.ptr));
}

std::string clipped(const std::string& s)
{
    std::string out;
    for (char c : s.substr(0, 60)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    return s.size() > 60 ? out + "..." : out;
}

} // namespace

const char* activationName(Activation a)
{
    switch (a) {
    case Activation::Gelu: return "gelu";
    case Activation::GeluTanh: return "gelu_new";
    case Activation::Relu: return "relu";
    }
    return "gelu";
}

BertConfig BertConfig::fromJson(const std::string& jsonText)
{
    json j;
    try {
        j = json::parse(jsonText);
    } catch (const json::exception& e) {
        std::string what = e.what();
        if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
        for (char& c : what)
            if (c == '\n' || c == '\r') c = ' ';
        throw Error("config is not valid JSON: " + what);
    }
    if (!j.is_object()) throw Error("config is not a JSON object");

    if (auto it = j.find("model_type"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>() != "bert")
            throw Error("config model_type is " + clipped(it->dump()) + ", not \"bert\"; only BERT models are supported");
    }
    if (auto it = j.find("position_embedding_type"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>() != "absolute")
            throw Error("config position_embedding_type " + clipped(it->dump()) +
                        " is not supported (only \"absolute\")");
    }
    if (auto it = j.find("add_cross_attention"); it != j.end() && it->is_boolean() && it->get<bool>())
        throw Error("config add_cross_attention is true: BERT decoders with cross-attention are not supported");

    BertConfig c;
    c.vocabSize = requireInt(j, "vocab_size");
    c.hiddenSize = requireInt(j, "hidden_size");
    c.numHiddenLayers = requireInt(j, "num_hidden_layers");
    c.numAttentionHeads = requireInt(j, "num_attention_heads");
    c.intermediateSize = requireInt(j, "intermediate_size");
    c.maxPositionEmbeddings = optionalInt(j, "max_position_embeddings", 512);
    c.typeVocabSize = optionalInt(j, "type_vocab_size", 2);
    c.padTokenId = optionalInt(j, "pad_token_id", 0);
    c.layerNormEps = optionalFloat(j, "layer_norm_eps", 1e-12f);  // Google's file has none: BERT's 1e-12
    c.hiddenDropoutProb = optionalFloat(j, "hidden_dropout_prob", 0.1f);
    c.attentionDropoutProb = optionalFloat(j, "attention_probs_dropout_prob", 0.1f);
    c.initializerRange = optionalFloat(j, "initializer_range", 0.02f);

    if (auto it = j.find("hidden_act"); it != j.end() && !it->is_null()) {
        if (!it->is_string()) throw Error("config hidden_act is not a string");
        const std::string act = it->get<std::string>();
        if (act == "gelu" || act == "gelu_python")
            c.hiddenAct = Activation::Gelu;  // the exact erf form
        else if (act == "gelu_new" || act == "gelu_pytorch_tanh")
            c.hiddenAct = Activation::GeluTanh;
        else if (act == "relu")
            c.hiddenAct = Activation::Relu;
        else
            throw Error("config hidden_act \"" + clipped(act) +
                        "\" is not supported (use gelu, gelu_new, gelu_pytorch_tanh or relu)");
    }
    if (auto it = j.find("architectures"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) throw Error("config architectures is not a list");
        for (const auto& a : *it) {
            if (!a.is_string()) throw Error("config architectures holds a non-string");
            c.architectures.push_back(a.get<std::string>());
        }
    }
    if (auto it = j.find("id2label"); it != j.end() && !it->is_null()) {
        if (!it->is_object()) throw Error("config id2label is not an object");
        std::vector<std::string> labels(it->size());
        std::vector<bool> seen(it->size(), false);
        for (const auto& [key, value] : it->items()) {
            size_t id = 0;
            const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
            if (ec != std::errc() || end != key.data() + key.size() || id >= labels.size() || seen[id])
                throw Error("config id2label keys must be the ids 0.." + std::to_string(labels.size() - 1) +
                            ", found \"" + clipped(key) + "\"");
            if (!value.is_string() || value.get<std::string>().empty())
                throw Error("config id2label[" + key + "] is not a label name");
            labels[id] = value.get<std::string>();
            seen[id] = true;
        }
        c.labels = std::move(labels);
    }
    c.validate();
    return c;
}

ClassifierTask BertConfig::classifierTask() const
{
    for (const std::string& a : architectures) {
        if (a == "BertForSequenceClassification") return ClassifierTask::Sequence;
        if (a == "BertForTokenClassification") return ClassifierTask::Token;
    }
    return ClassifierTask::None;
}

const char* classifierTaskName(ClassifierTask task)
{
    switch (task) {
    case ClassifierTask::Sequence: return "sequence";
    case ClassifierTask::Token: return "token";
    case ClassifierTask::None: return "none";
    }
    return "none";
}

BertConfig BertConfig::fromFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("Cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) throw Error("Cannot read " + path);
    try {
        return fromJson(s.str());
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

void BertConfig::validate() const
{
    auto range = [](const char* key, int64_t v, int64_t lo, int64_t hi) {
        if (v < lo || v > hi)
            throw Error(std::string("config ") + key + " = " + std::to_string(v) + " is outside [" +
                        std::to_string(lo) + ", " + std::to_string(hi) + "]");
    };
    range("vocab_size", vocabSize, 1, 2'000'000);
    range("hidden_size", hiddenSize, 1, 16'384);
    range("num_hidden_layers", numHiddenLayers, 1, 256);
    range("num_attention_heads", numAttentionHeads, 1, 1'024);
    range("intermediate_size", intermediateSize, 1, 131'072);
    range("max_position_embeddings", maxPositionEmbeddings, 1, 1'048'576);
    range("type_vocab_size", typeVocabSize, 1, 1'024);
    range("pad_token_id", padTokenId, 0, vocabSize - 1);
    if (hiddenSize % numAttentionHeads != 0)
        throw Error("config hidden_size " + std::to_string(hiddenSize) + " is not divisible by num_attention_heads " +
                    std::to_string(numAttentionHeads));
    if (!(layerNormEps > 0.0f && layerNormEps < 1.0f))
        throw Error("config layer_norm_eps must be a small positive number");
    if (!(hiddenDropoutProb >= 0.0f && hiddenDropoutProb < 1.0f))
        throw Error("config hidden_dropout_prob must be in [0, 1)");
    if (!(attentionDropoutProb >= 0.0f && attentionDropoutProb < 1.0f))
        throw Error("config attention_probs_dropout_prob must be in [0, 1)");
    if (!(initializerRange >= 0.0f && std::isfinite(initializerRange)))
        throw Error("config initializer_range must be a non-negative number");
}

std::string BertConfig::toJson() const
{
    validate();
    json j = json::object();
    j["architectures"] = architectures.empty() ? json::array({"BertForPreTraining"}) : json(architectures);
    j["model_type"] = "bert";
    j["vocab_size"] = vocabSize;
    j["hidden_size"] = hiddenSize;
    j["num_hidden_layers"] = numHiddenLayers;
    j["num_attention_heads"] = numAttentionHeads;
    j["intermediate_size"] = intermediateSize;
    j["hidden_act"] = activationName(hiddenAct);
    j["max_position_embeddings"] = maxPositionEmbeddings;
    j["type_vocab_size"] = typeVocabSize;
    j["layer_norm_eps"] = floatJson(layerNormEps);
    j["hidden_dropout_prob"] = floatJson(hiddenDropoutProb);
    j["attention_probs_dropout_prob"] = floatJson(attentionDropoutProb);
    j["initializer_range"] = floatJson(initializerRange);
    j["pad_token_id"] = padTokenId;
    j["position_embedding_type"] = "absolute";
    j["torch_dtype"] = "float32";
    if (!labels.empty()) {
        json id2label = json::object(), label2id = json::object();
        for (size_t i = 0; i < labels.size(); ++i) {
            id2label[std::to_string(i)] = labels[i];
            label2id[labels[i]] = static_cast<int>(i);
        }
        j["id2label"] = id2label;
        j["label2id"] = label2id;
    }
    return j.dump(2) + "\n";
}

} // namespace bertlab
