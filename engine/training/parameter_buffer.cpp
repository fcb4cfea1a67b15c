// Layout, initialisation, import and export of the training parameter buffer.
#include "training/parameter_buffer.h"

#include "bert_model.h"
#include "error.h"
#include "vocab.h"

#include <cmath>
#include <cstring>
#include <random>

namespace bertlab {

namespace {

size_t product(const std::vector<int64_t>& shape)
{
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
}

// Portable N(0, 1) from a 64-bit Mersenne Twister (Box-Muller), so a seed means the same
// weights with any standard library.
class NormalSource {
public:
    explicit NormalSource(uint64_t seed) : engine_(seed) {}
    double next()
    {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        double u1 = 0.0;
        do u1 = uniform(); while (u1 <= 0.0);
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2.0 * M_PI * u2);
        hasSpare_ = true;
        return r * std::cos(2.0 * M_PI * u2);
    }

private:
    double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
    std::mt19937_64 engine_;
    double spare_ = 0.0;
    bool hasSpare_ = false;
};

enum class InitKind { Normal, Zero, One };

InitKind initKindOf(const std::string& name)
{
    const bool layerNorm = name.find("LayerNorm") != std::string::npos;
    const bool bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (layerNorm) return bias ? InitKind::Zero : InitKind::One;
    return bias ? InitKind::Zero : InitKind::Normal;
}

void initRange(ParameterBuffer& buffer, const ParameterEntry& e, NormalSource& normal, float std)
{
    float* p = buffer.data() + e.offset;
    switch (initKindOf(e.name)) {
    case InitKind::Zero: std::fill(p, p + e.numel, 0.0f); break;
    case InitKind::One: std::fill(p, p + e.numel, 1.0f); break;
    case InitKind::Normal:
        for (size_t i = 0; i < e.numel; ++i) p[i] = static_cast<float>(normal.next() * std);
        break;
    }
}

void copyView(ParameterBuffer& buffer, const ParameterEntry& e, const TensorView& view)
{
    if (view.empty() || static_cast<size_t>(view.numel()) != e.numel)
        throw Error("tensor " + e.name + " has shape " + view.shapeString() + ", expected " +
                    makeOwnedTensor({}, e.shape).shapeString());
    std::memcpy(buffer.data() + e.offset, view.data, e.numel * sizeof(float));
}

} // namespace

ParameterLayout::ParameterLayout(const BertConfig& c) : config(c)
{
    const int64_t V = c.vocabSize, H = c.hiddenSize, I = c.intermediateSize;
    auto add = [&](const std::string& name, std::vector<int64_t> shape, bool decay) {
        ParameterEntry e;
        e.name = name;
        e.offset = total;
        e.numel = product(shape);
        e.shape = std::move(shape);
        e.decay = decay;
        total += e.numel;
        entries.push_back(std::move(e));
        return entries.back().offset;
    };
    auto linear = [&](const std::string& prefix, int64_t out, int64_t in, size_t& w, size_t& b) {
        w = add(prefix + ".weight", {out, in}, true);
        b = add(prefix + ".bias", {out}, false);
    };
    auto norm = [&](const std::string& prefix, size_t& g, size_t& b) {
        g = add(prefix + ".weight", {H}, false);
        b = add(prefix + ".bias", {H}, false);
    };
    wordEmb = add("bert.embeddings.word_embeddings.weight", {V, H}, true);
    posEmb = add("bert.embeddings.position_embeddings.weight", {c.maxPositionEmbeddings, H}, true);
    typeEmb = add("bert.embeddings.token_type_embeddings.weight", {c.typeVocabSize, H}, true);
    norm("bert.embeddings.LayerNorm", embLnG, embLnB);
    for (int l = 0; l < c.numHiddenLayers; ++l) {
        const std::string p = "bert.encoder.layer." + std::to_string(l) + ".";
        LayerOffsets o{};
        linear(p + "attention.self.query", H, H, o.qW, o.qB);
        linear(p + "attention.self.key", H, H, o.kW, o.kB);
        linear(p + "attention.self.value", H, H, o.vW, o.vB);
        linear(p + "attention.output.dense", H, H, o.aoW, o.aoB);
        norm(p + "attention.output.LayerNorm", o.aln1G, o.aln1B);
        linear(p + "intermediate.dense", I, H, o.iW, o.iB);
        linear(p + "output.dense", H, I, o.oW, o.oB);
        norm(p + "output.LayerNorm", o.ln2G, o.ln2B);
        layers.push_back(o);
    }
    const ClassifierTask task = c.classifierTask();
    if (task == ClassifierTask::None) {
        linear("bert.pooler.dense", H, H, poolerW, poolerB);
        linear("cls.predictions.transform.dense", H, H, mlmDenseW, mlmDenseB);
        norm("cls.predictions.transform.LayerNorm", mlmLnG, mlmLnB);
        mlmBias = add("cls.predictions.bias", {V}, false);
        linear("cls.seq_relationship", 2, H, nspW, nspB);
        return;
    }
    if (c.labels.empty()) throw Error("a classifier's parameters need its labels (id2label)");
    if (task == ClassifierTask::Sequence) linear("bert.pooler.dense", H, H, poolerW, poolerB);
    linear("classifier", static_cast<int64_t>(c.labels.size()), H, classifierW, classifierB);
}

const ParameterEntry* ParameterLayout::find(const std::string& name) const
{
    for (const auto& e : entries)
        if (e.name == name) return &e;
    return nullptr;
}

ParameterBuffer::ParameterBuffer(const BertConfig& config)
    : layout_(std::make_shared<ParameterLayout>(config))
{
    values_.assign(layout_->total, 0.0f);
}

ParameterBuffer ParameterBuffer::initialized(const BertConfig& config, uint64_t seed)
{
    config.validate();
    ParameterBuffer buffer(config);
    NormalSource normal(seed);
    for (const auto& e : buffer.layout().entries) initRange(buffer, e, normal, config.initializerRange);
    return buffer;
}

ParameterBuffer ParameterBuffer::fromModel(const BertModel& model, uint64_t seed,
                                           std::vector<std::string>* freshHeads)
{
    return fromModel(model, model.config(), seed, freshHeads);
}

ParameterBuffer ParameterBuffer::fromModel(const BertModel& model, const BertConfig& c, uint64_t seed,
                                           std::vector<std::string>* freshHeads)
{
    const BertConfig& m = model.config();
    if (m.hiddenSize != c.hiddenSize || m.numHiddenLayers != c.numHiddenLayers || m.vocabSize != c.vocabSize ||
        m.intermediateSize != c.intermediateSize || m.maxPositionEmbeddings != c.maxPositionEmbeddings ||
        m.typeVocabSize != c.typeVocabSize || m.numAttentionHeads != c.numAttentionHeads)
        throw Error("the model's shapes differ from the run's config");
    ParameterBuffer buffer(c);
    const ParameterLayout& L = buffer.layout();
    const BertWeights& w = model.weights();
    auto put = [&](size_t offset, const TensorView& view) {
        if (offset == ParameterLayout::kAbsent) return;
        for (const auto& e : L.entries)
            if (e.offset == offset) return copyView(buffer, e, view);
    };
    put(L.wordEmb, w.embeddings.word);
    put(L.posEmb, w.embeddings.position);
    put(L.typeEmb, w.embeddings.tokenType);
    put(L.embLnG, w.embeddings.norm.weight);
    put(L.embLnB, w.embeddings.norm.bias);
    for (int l = 0; l < c.numHiddenLayers; ++l) {
        const auto& o = L.layers[l];
        const auto& s = w.layers[l];
        put(o.qW, s.query.weight), put(o.qB, s.query.bias);
        put(o.kW, s.key.weight), put(o.kB, s.key.bias);
        put(o.vW, s.value.weight), put(o.vB, s.value.bias);
        put(o.aoW, s.attentionOutput.weight), put(o.aoB, s.attentionOutput.bias);
        put(o.aln1G, s.attentionNorm.weight), put(o.aln1B, s.attentionNorm.bias);
        put(o.iW, s.intermediate.weight), put(o.iB, s.intermediate.bias);
        put(o.oW, s.output.weight), put(o.oB, s.output.bias);
        put(o.ln2G, s.outputNorm.weight), put(o.ln2B, s.outputNorm.bias);
    }
    // Missing heads get fresh BERT initialisation: training them is the point of pretraining.
    NormalSource normal(seed);
    auto fresh = [&](const std::string& prefix) {
        for (const auto& e : L.entries)
            if (e.name.rfind(prefix, 0) == 0) initRange(buffer, e, normal, c.initializerRange);
        if (freshHeads) freshHeads->push_back(prefix);
    };
    if (w.pooler) {
        put(L.poolerW, w.pooler->weight), put(L.poolerB, w.pooler->bias);
    } else if (L.poolerW != ParameterLayout::kAbsent) {
        fresh("bert.pooler.");
    }
    if (L.classifierW != ParameterLayout::kAbsent) {
        const bool same = w.classifier && model.config().classifierTask() == c.classifierTask() &&
                          model.labels().size() == c.labels.size();
        if (same) {
            put(L.classifierW, w.classifier->weight), put(L.classifierB, w.classifier->bias);
        } else {
            // The N(0, 0.02) is BERT's initializer_range, which the config carries.
            fresh("classifier.");
        }
        return buffer;
    }
    if (w.mlm) {
        put(L.mlmDenseW, w.mlm->transform.weight), put(L.mlmDenseB, w.mlm->transform.bias);
        put(L.mlmLnG, w.mlm->norm.weight), put(L.mlmLnB, w.mlm->norm.bias);
        put(L.mlmBias, w.mlm->decoderBias);
    } else {
        fresh("cls.predictions.");
    }
    if (w.nsp) {
        put(L.nspW, w.nsp->weight), put(L.nspB, w.nsp->bias);
    } else {
        fresh("cls.seq_relationship.");
    }
    return buffer;
}

ParameterBuffer ParameterBuffer::fromTensors(const BertConfig& config, const TensorMap& tensors)
{
    ParameterBuffer buffer(config);
    for (const auto& e : buffer.layout().entries) {
        auto it = tensors.tensors.find(e.name);
        if (it == tensors.tensors.end() && e.name == "cls.predictions.bias")
            it = tensors.tensors.find("cls.predictions.decoder.bias");
        if (it == tensors.tensors.end()) throw Error("checkpoint lacks tensor " + e.name);
        copyView(buffer, e, it->second);
    }
    return buffer;
}

TensorMap ParameterBuffer::toTensorMap() const
{
    TensorMap map;
    map.sourceFormat = "safetensors";
    for (const auto& e : layout_->entries) {
        std::vector<float> copy(values_.begin() + e.offset, values_.begin() + e.offset + e.numel);
        map.tensors[e.name] = makeOwnedTensor(std::move(copy), e.shape);
    }
    return map;
}

std::shared_ptr<BertModel> ParameterBuffer::toModel(std::shared_ptr<const Vocab> vocab, bool lowerCase) const
{
    return std::make_shared<BertModel>(config(), std::move(vocab), toTensorMap(), lowerCase);
}

} // namespace bertlab
