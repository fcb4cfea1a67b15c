// Building a BertModel from a checkpoint's tensors: name normalisation, shape checks, heads.
#include "bert_model.h"

#include "bf16_linear.h"
#include "error.h"
#include "huge_page_buffer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

namespace bertlab {

namespace {

using Shape = std::vector<int64_t>;

std::string shapeText(const Shape& s)
{
    TensorView v;
    v.shape = s;
    return v.shapeString();
}

// "bert.x.LayerNorm.gamma" -> "x.LayerNorm.weight"; the forms transformers accepts on load.
std::string normalisedName(const std::string& name)
{
    std::string n = name.rfind("bert.", 0) == 0 ? name.substr(5) : name;
    auto replaceSuffix = [&](const char* from, const char* to) {
        const std::string f = from;
        if (n.size() >= f.size() && n.compare(n.size() - f.size(), f.size(), f) == 0)
            n = n.substr(0, n.size() - f.size()) + to;
    };
    replaceSuffix("LayerNorm.gamma", "LayerNorm.weight");
    replaceSuffix("LayerNorm.beta", "LayerNorm.bias");
    return n;
}

// Looks tensors up by normalised name, checks shapes, and remembers which ones were used.
class NameWalk {
public:
    explicit NameWalk(const TensorMap& map)
    {
        for (const auto& [name, view] : map.tensors) {
            std::string n = normalisedName(name);
            auto [it, inserted] = tensors_.emplace(n, Item{name, view});
            if (!inserted)
                throw Error("the checkpoint has both " + it->second.original + " and " + name +
                            ", which mean the same tensor");
        }
    }

    bool has(const std::string& name) const { return tensors_.count(name) != 0; }

    // A tensor the model cannot do without.
    TensorView require(const std::string& name, const Shape& shape, const std::string& why = "")
    {
        auto it = tensors_.find(name);
        if (it == tensors_.end())
            throw Error("the checkpoint has no tensor " + name + (why.empty() ? "" : " (" + why + ")"));
        return take(it, shape);
    }

    // A tensor whose absence is allowed; an empty view when missing.
    TensorView optional(const std::string& name, const Shape& shape)
    {
        auto it = tensors_.find(name);
        return it == tensors_.end() ? TensorView{} : take(it, shape);
    }

    void markUsed(const std::string& name) { used_.insert(name); }

    std::vector<std::string> unused() const
    {
        std::vector<std::string> out;
        for (const auto& [n, item] : tensors_)
            if (!used_.count(n)) out.push_back(item.original);
        return out;
    }

    const TensorView& peek(const std::string& name) const { return tensors_.at(name).view; }

private:
    struct Item {
        std::string original;
        TensorView view;
    };
    TensorView take(std::map<std::string, Item>::iterator it, const Shape& shape)
    {
        const TensorView& v = it->second.view;
        if (v.shape != shape)
            throw Error(it->first + " has shape " + v.shapeString() + ", expected " + shapeText(shape) +
                        " from the config");
        used_.insert(it->first);
        return v;
    }
    std::map<std::string, Item> tensors_;
    std::set<std::string> used_;
};

LinearWeights requireLinear(NameWalk& w, const std::string& prefix, int64_t out, int64_t in, const std::string& why = "")
{
    return {w.require(prefix + ".weight", {out, in}, why), w.require(prefix + ".bias", {out}, why)};
}

LayerNormWeights requireNorm(NameWalk& w, const std::string& prefix, int64_t h)
{
    return {w.require(prefix + ".weight", {h}), w.require(prefix + ".bias", {h})};
}

bool sameValues(const TensorView& a, const TensorView& b)
{
    if (a.shape != b.shape) return false;
    if (a.data == b.data) return true;
    return std::memcmp(a.data, b.data, static_cast<size_t>(a.numel()) * sizeof(float)) == 0;
}

// Names of those in `names` the walk lacks, for "partial head" warnings.
std::string missingOf(const NameWalk& w, const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        if (!w.has(n)) out += (out.empty() ? "" : ", ") + n;
    return out;
}

bool anyPresent(const NameWalk& w, const std::vector<std::string>& names)
{
    for (const auto& n : names)
        if (w.has(n)) return true;
    return false;
}

} // namespace

bool BertModel::prepareBfloat16()
{
    if (bf16_)
        return true;
    if (!nativeBfloat16Available())
        return false;
    auto fast = std::make_shared<Bf16Weights>();
    const auto count = [&fast](const Bf16Linear& l) {
        fast->bytes += static_cast<int64_t>(l.inputs()) * l.outputs() * 2;
    };
    for (const EncoderLayerWeights& l : weights_.layers) {
        Bf16EncoderLayer packed{Bf16Linear({&l.query, &l.key, &l.value}), Bf16Linear({&l.attentionOutput}),
                                Bf16Linear({&l.intermediate}), Bf16Linear({&l.output})};
        for (const Bf16Linear* p : {&packed.qkv, &packed.attentionOutput, &packed.intermediate, &packed.output})
            count(*p);
        fast->layers.push_back(std::move(packed));
    }
    if (weights_.pooler) {
        fast->pooler.emplace(std::vector<const LinearWeights*>{&*weights_.pooler});
        count(*fast->pooler);
    }
    if (weights_.mlm) {
        const MlmHeadWeights& head = *weights_.mlm;
        fast->mlmTransform.emplace(std::vector<const LinearWeights*>{&head.transform});
        const LinearWeights decoder{head.decoderWeight.empty() ? weights_.embeddings.word : head.decoderWeight,
                                    head.decoderBias};
        fast->mlmDecoder.emplace(std::vector<const LinearWeights*>{&decoder});
        count(*fast->mlmTransform);
        count(*fast->mlmDecoder);
    }
    bf16_ = std::move(fast);
    return true;
}

int64_t BertModel::bfloat16Bytes() const
{
    return bf16_ ? bf16_->bytes : 0;
}

bool BertModel::packWeights()
{
    std::vector<TensorView*> views;
    std::vector<bool> padded;  // whether the slot after this view starts on a 64-byte boundary
    const auto add = [&views, &padded](TensorView& v, bool padAfter = true) {
        if (!v.empty()) {
            views.push_back(&v);
            padded.push_back(padAfter);
        }
    };
    const auto addLinear = [&add](LinearWeights& w) {
        add(w.weight);
        add(w.bias);
    };
    const auto addNorm = [&add](LayerNormWeights& w) {
        add(w.weight);
        add(w.bias);
    };
    EmbeddingWeights& emb = weights_.embeddings;
    add(emb.word);
    add(emb.position);
    add(emb.tokenType);
    addNorm(emb.norm);
    for (EncoderLayerWeights& l : weights_.layers) {
        // Query, key and value weights back to back with no gap, then their biases likewise: the
        // encoder layer then multiplies all three as one [3H, H] product (encoder_layer.cpp).
        const bool whole = !l.query.weight.empty() && !l.key.weight.empty() && !l.value.weight.empty() &&
                           !l.query.bias.empty() && !l.key.bias.empty() && !l.value.bias.empty();
        add(l.query.weight, !whole), add(l.key.weight, !whole), add(l.value.weight);
        add(l.query.bias, !whole), add(l.key.bias, !whole), add(l.value.bias);
        for (LinearWeights* w : {&l.attentionOutput, &l.intermediate, &l.output})
            addLinear(*w);
        addNorm(l.attentionNorm);
        addNorm(l.outputNorm);
    }
    if (weights_.pooler) addLinear(*weights_.pooler);
    if (weights_.nsp) addLinear(*weights_.nsp);
    if (weights_.classifier) addLinear(*weights_.classifier);
    if (weights_.mlm) {
        addLinear(weights_.mlm->transform);
        addNorm(weights_.mlm->norm);
        add(weights_.mlm->decoderWeight);
        add(weights_.mlm->decoderBias);
    }

    // One slot per distinct storage: a decoder tied to the word embeddings stays one copy.
    constexpr size_t kAlign = 16;  // floats: 64-byte rows for the matrix kernels
    std::unordered_map<const float*, int64_t> longest;  // views sharing a start may differ in length
    for (TensorView* v : views) {
        int64_t& n = longest[v->data];
        n = std::max(n, v->numel());
    }
    std::unordered_map<const float*, size_t> offsetOf;
    std::vector<size_t> offsets;
    std::vector<bool> copies;  // the first view of each storage is the one copied, at its longest
    size_t total = 0;
    for (size_t i = 0; i < views.size(); ++i) {
        TensorView* v = views[i];
        const auto [it, inserted] = offsetOf.try_emplace(v->data, total);
        if (inserted) {
            total += static_cast<size_t>(longest[v->data]);
            if (padded[i]) total = (total + kAlign - 1) / kAlign * kAlign;
        }
        offsets.push_back(it->second);
        copies.push_back(inserted);
    }
    // For a moment both copies are resident: never at the cost of pushing the machine into swap.
    const size_t bytes = total * sizeof(float);
    if (HugePageBuffer::availableMemory() < 2 * bytes)
        return false;
    const std::shared_ptr<HugePageBuffer> buffer = HugePageBuffer::allocate(bytes);
    float* base = buffer->floats();
    for (size_t i = 0; i < views.size(); ++i)
        if (copies[i])
            std::memcpy(base + offsets[i], views[i]->data, static_cast<size_t>(longest[views[i]->data]) * sizeof(float));
    // Repoint only after every copy: tied views share a source pointer until the end.
    for (size_t i = 0; i < views.size(); ++i) {
        views[i]->data = base + offsets[i];
        views[i]->owner = buffer;
    }
    return true;
}

BertModel::BertModel(BertConfig config, std::shared_ptr<const Vocab> vocab, const TensorMap& tensors, bool lowerCase)
    : config_(std::move(config)),
      vocab_(vocab ? std::move(vocab) : throw Error("a model needs a vocabulary")),
      tokenizer_(vocab_, lowerCase)
{
    config_.validate();
    const int64_t H = config_.hiddenSize, V = config_.vocabSize, I = config_.intermediateSize;
    NameWalk w(tensors);
    w.markUsed("embeddings.position_ids");  // a buffer some checkpoints carry, not a weight

    // Vocabulary, config and embedding matrix must agree on the number of tokens.
    if (!w.has("embeddings.word_embeddings.weight")) {
        std::string hint;
        for (const auto& [name, view] : tensors.tensors)
            if (name.size() > 33 && name.ends_with("embeddings.word_embeddings.weight")) {
                hint = " (found " + name + ": a different model type or an unknown name prefix)";
                break;
            }
        throw Error("the checkpoint has no tensor embeddings.word_embeddings.weight" + hint);
    }
    const TensorView& word = w.peek("embeddings.word_embeddings.weight");
    if (word.shape.size() == 2 && word.shape[0] != vocab_->size())
        throw Error("vocab.txt has " + std::to_string(vocab_->size()) +
                    " tokens but embeddings.word_embeddings.weight has " + std::to_string(word.shape[0]) + " rows");
    if (V != vocab_->size())
        throw Error("the config has vocab_size " + std::to_string(V) + " but vocab.txt has " +
                    std::to_string(vocab_->size()) + " tokens");

    auto& e = weights_.embeddings;
    e.word = w.require("embeddings.word_embeddings.weight", {V, H});
    e.position = w.require("embeddings.position_embeddings.weight", {config_.maxPositionEmbeddings, H});
    e.tokenType = w.require("embeddings.token_type_embeddings.weight", {config_.typeVocabSize, H});
    e.norm = requireNorm(w, "embeddings.LayerNorm", H);

    const std::string layersWhy = "the config has num_hidden_layers " + std::to_string(config_.numHiddenLayers);
    for (int l = 0; l < config_.numHiddenLayers; ++l) {
        const std::string p = "encoder.layer." + std::to_string(l) + ".";
        EncoderLayerWeights layer;
        layer.query = requireLinear(w, p + "attention.self.query", H, H, layersWhy);
        layer.key = requireLinear(w, p + "attention.self.key", H, H, layersWhy);
        layer.value = requireLinear(w, p + "attention.self.value", H, H, layersWhy);
        layer.attentionOutput = requireLinear(w, p + "attention.output.dense", H, H, layersWhy);
        layer.attentionNorm = requireNorm(w, p + "attention.output.LayerNorm", H);
        layer.intermediate = requireLinear(w, p + "intermediate.dense", I, H, layersWhy);
        layer.output = requireLinear(w, p + "output.dense", H, I, layersWhy);
        layer.outputNorm = requireNorm(w, p + "output.LayerNorm", H);
        weights_.layers.push_back(std::move(layer));
    }
    for (const auto& name : w.unused())
        if (normalisedName(name).rfind("encoder.layer.", 0) == 0)
            throw Error("the checkpoint has " + name + " but " + layersWhy);

    std::vector<std::string>& warnings = info_.warnings;
    warnings = tensors.warnings;

    // Pooler: optional, but all or nothing.
    const std::vector<std::string> poolerNames = {"pooler.dense.weight", "pooler.dense.bias"};
    if (missingOf(w, poolerNames).empty())
        weights_.pooler = requireLinear(w, "pooler.dense", H, H);
    else if (anyPresent(w, poolerNames)) {
        warnings.push_back("pooler left out: missing " + missingOf(w, poolerNames));
        for (const auto& n : poolerNames) w.markUsed(n);  // known, just incomplete: not "unknown"
    }

    // MLM head: transform + a bias; decoder.weight may be absent (tied to the word embeddings).
    const std::vector<std::string> mlmCore = {"cls.predictions.transform.dense.weight",
                                              "cls.predictions.transform.dense.bias",
                                              "cls.predictions.transform.LayerNorm.weight",
                                              "cls.predictions.transform.LayerNorm.bias"};
    const bool hasBias = w.has("cls.predictions.bias") || w.has("cls.predictions.decoder.bias");
    const bool anyMlm = anyPresent(w, mlmCore) || hasBias || w.has("cls.predictions.decoder.weight");
    if (missingOf(w, mlmCore).empty() && hasBias) {
        MlmHeadWeights mlm;
        mlm.transform = requireLinear(w, "cls.predictions.transform.dense", H, H);
        mlm.norm = requireNorm(w, "cls.predictions.transform.LayerNorm", H);
        TensorView bias = w.optional("cls.predictions.bias", {V});
        TensorView decoderBias = w.optional("cls.predictions.decoder.bias", {V});
        if (!bias.empty() && !decoderBias.empty() && !sameValues(bias, decoderBias))
            warnings.push_back("cls.predictions.bias and cls.predictions.decoder.bias differ; using cls.predictions.bias");
        mlm.decoderBias = bias.empty() ? decoderBias : bias;
        TensorView decoder = w.optional("cls.predictions.decoder.weight", {V, H});
        if (decoder.empty() || sameValues(decoder, e.word)) {
            mlm.decoderWeight = e.word;  // tied, as transformers ties them
        } else {
            mlm.decoderWeight = decoder;
            warnings.push_back("cls.predictions.decoder.weight differs from the word embeddings; using it untied");
        }
        weights_.mlm = std::move(mlm);
    } else if (anyMlm) {
        std::string missing = missingOf(w, mlmCore);
        if (!hasBias) missing += std::string(missing.empty() ? "" : ", ") + "cls.predictions.bias";
        warnings.push_back("masked-LM head unavailable: missing " + missing);
        for (const auto& n : mlmCore) w.markUsed(n);
        for (const char* n : {"cls.predictions.bias", "cls.predictions.decoder.bias", "cls.predictions.decoder.weight"})
            w.markUsed(n);
    }

    // NSP head: needs the pooler too.
    const std::vector<std::string> nspNames = {"cls.seq_relationship.weight", "cls.seq_relationship.bias"};
    if (missingOf(w, nspNames).empty()) {
        LinearWeights nsp = requireLinear(w, "cls.seq_relationship", 2, H);
        if (weights_.pooler)
            weights_.nsp = nsp;
        else
            warnings.push_back("next-sentence head unavailable: the checkpoint has no pooler (bert.pooler.dense)");
    } else if (anyPresent(w, nspNames)) {
        warnings.push_back("next-sentence head unavailable: missing " + missingOf(w, nspNames));
        for (const auto& n : nspNames) w.markUsed(n);
    }

    // Fine-tuned classifier: named by config.json's architectures, sized by its id2label.
    const std::vector<std::string> classifierNames = {"classifier.weight", "classifier.bias"};
    const ClassifierTask task = config_.classifierTask();
    const char* taskName = task == ClassifierTask::Token ? "token classifier" : "sequence classifier";
    if (task != ClassifierTask::None && missingOf(w, classifierNames).empty()) {
        const TensorView& cw = w.peek("classifier.weight");
        const int64_t rows = cw.shape.size() == 2 ? cw.shape[0] : 0;
        if (!config_.labels.empty() && rows != static_cast<int64_t>(config_.labels.size()))
            throw Error("classifier.weight has " + std::to_string(rows) + " rows but the config's id2label names " +
                        std::to_string(config_.labels.size()) + " labels");
        if (rows < 1) throw Error("classifier.weight must be a [labels, hidden] matrix");
        LinearWeights classifier = requireLinear(w, "classifier", rows, H);
        if (task == ClassifierTask::Sequence && !weights_.pooler)
            warnings.push_back(std::string(taskName) + " unavailable: the checkpoint has no pooler (bert.pooler.dense)");
        else
            weights_.classifier = classifier;
        labels_ = config_.labels;
        for (int64_t i = static_cast<int64_t>(labels_.size()); i < rows; ++i) labels_.push_back("LABEL_" + std::to_string(i));
    } else if (task != ClassifierTask::None) {
        warnings.push_back(std::string(taskName) + " unavailable: missing " + missingOf(w, classifierNames));
        for (const auto& n : classifierNames) w.markUsed(n);
    } else if (anyPresent(w, classifierNames)) {
        warnings.push_back("classifier.* left out: config.json's architectures names no BertForSequenceClassification "
                           "or BertForTokenClassification");
        for (const auto& n : classifierNames) w.markUsed(n);
    }

    if (auto unknown = w.unused(); !unknown.empty()) {
        std::string list;
        for (size_t i = 0; i < unknown.size() && i < 5; ++i) list += (i ? ", " : "") + unknown[i];
        if (unknown.size() > 5) list += ", ...";
        warnings.push_back("ignored " + std::to_string(unknown.size()) + " unknown tensor" +
                           (unknown.size() == 1 ? "" : "s") + ": " + list);
    }

    // Count each distinct storage once (a tied decoder is the word embedding matrix).
    TensorMap exported = exportTensors();
    std::set<const float*> seen;
    for (const auto& [name, view] : exported.tensors) {
        if (view.data && !seen.insert(view.data).second) continue;
        info_.parameterCount += view.numel();
        int64_t bad = 0;
        const float* d = view.data;
        for (int64_t i = 0, n = view.numel(); i < n; ++i) bad += !std::isfinite(d[i]);
        if (bad) warnings.push_back(name + " has " + std::to_string(bad) + " NaN or infinite value" + (bad == 1 ? "" : "s"));
    }
    info_.weightBytes = info_.parameterCount * static_cast<int64_t>(sizeof(float));
    info_.hasPooler = weights_.pooler.has_value();
    info_.hasMlm = hasMlm();
    info_.hasNsp = hasNsp();
    info_.classifierTask = task;
    info_.hasClassifier = hasClassifier();
    info_.sourceFormat = tensors.sourceFormat;
}

Encoding BertModel::encode(const std::string& a, const std::string* b) const
{
    return tokenizer_.encode(a, b, config_.maxPositionEmbeddings);
}

TensorMap BertModel::exportTensors() const
{
    TensorMap out;
    out.sourceFormat = info_.sourceFormat;
    auto& t = out.tensors;
    auto linear = [&](const std::string& p, const LinearWeights& l) {
        t[p + ".weight"] = l.weight;
        t[p + ".bias"] = l.bias;
    };
    auto norm = [&](const std::string& p, const LayerNormWeights& n) {
        t[p + ".weight"] = n.weight;
        t[p + ".bias"] = n.bias;
    };
    const auto& e = weights_.embeddings;
    t["bert.embeddings.word_embeddings.weight"] = e.word;
    t["bert.embeddings.position_embeddings.weight"] = e.position;
    t["bert.embeddings.token_type_embeddings.weight"] = e.tokenType;
    norm("bert.embeddings.LayerNorm", e.norm);
    for (size_t l = 0; l < weights_.layers.size(); ++l) {
        const auto& layer = weights_.layers[l];
        const std::string p = "bert.encoder.layer." + std::to_string(l) + ".";
        linear(p + "attention.self.query", layer.query);
        linear(p + "attention.self.key", layer.key);
        linear(p + "attention.self.value", layer.value);
        linear(p + "attention.output.dense", layer.attentionOutput);
        norm(p + "attention.output.LayerNorm", layer.attentionNorm);
        linear(p + "intermediate.dense", layer.intermediate);
        linear(p + "output.dense", layer.output);
        norm(p + "output.LayerNorm", layer.outputNorm);
    }
    if (weights_.pooler) linear("bert.pooler.dense", *weights_.pooler);
    if (weights_.mlm) {
        const auto& m = *weights_.mlm;
        linear("cls.predictions.transform.dense", m.transform);
        norm("cls.predictions.transform.LayerNorm", m.norm);
        t["cls.predictions.bias"] = m.decoderBias;
        if (m.decoderWeight.data != e.word.data) t["cls.predictions.decoder.weight"] = m.decoderWeight;
    }
    if (weights_.nsp) linear("cls.seq_relationship", *weights_.nsp);
    if (weights_.classifier) linear("classifier", *weights_.classifier);
    return out;
}

} // namespace bertlab
