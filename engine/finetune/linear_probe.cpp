// Extracts every layer's features in one set of forward passes, then fits and scores one softmax regression per layer.
#include "finetune/linear_probe.h"

#include "bert_model.h"
#include "cancelled.h"
#include "error.h"
#include "finetune/word_encoding.h"
#include "layers/counter_random.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace bertlab {
namespace {

using Features = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One input sequence and the labelled rows it contributes (position, label id or -1 = unknown).
struct ProbeInput {
    Encoding encoding;
    std::vector<std::pair<int, int>> rows;  // token task: (first piece, label); sequence: (-1, label)
};

std::vector<std::string> labelsOf(const std::string& path, ClassifierTask task)
{
    return task == ClassifierTask::Sequence ? labelsByFirstAppearance(readSequenceTask(path))
                                            : labelsByFirstAppearance(readTokenTask(path));
}

// Label ids from `ids`; a label it lacks becomes -1 (never predicted, so always wrong).
std::vector<ProbeInput> inputsOf(const BertModel& model, const std::string& path, const ProbeOptions& o,
                                 const std::map<std::string, int>& ids)
{
    const auto idOf = [&](const std::string& label) {
        const auto it = ids.find(label);
        return it == ids.end() ? -1 : it->second;
    };
    std::vector<ProbeInput> out;
    if (o.task == ClassifierTask::Sequence) {
        for (const SequenceItem& item : readSequenceTask(path).items) {
            ProbeInput in;
            in.encoding = model.tokenizer().encode(item.text, item.textB.empty() ? nullptr : &item.textB, o.maxSeqLength);
            in.rows.emplace_back(-1, idOf(item.label));
            out.push_back(std::move(in));
        }
    } else {
        for (const TokenSentence& s : readTokenTask(path).sentences) {
            WordEncoding w = encodeWords(model.tokenizer(), s.words, o.maxSeqLength);
            ProbeInput in;
            for (size_t i = 0; i < s.words.size(); ++i)
                if (w.firstPiece[i] >= 0) in.rows.emplace_back(w.firstPiece[i], idOf(s.labels[i]));
            in.encoding = std::move(w.encoding);
            out.push_back(std::move(in));
        }
    }
    return out;
}

// Every layer's features of the labelled rows: [L+1] of [rows, H]; labels alongside.
std::vector<Features> featuresOf(const BertModel& model, const std::vector<ProbeInput>& inputs,
                                 const std::vector<std::pair<size_t, size_t>>& picked, std::vector<int>& labels,
                                 std::stop_token stop)
{
    const int L = model.config().numHiddenLayers, H = model.config().hiddenSize;
    std::vector<Features> layers(static_cast<size_t>(L) + 1, Features(static_cast<Eigen::Index>(picked.size()), H));
    labels.assign(picked.size(), -1);
    Probe probe;
    probe.hiddenStates = true;
    constexpr size_t kBatch = 16;
    size_t row = 0;
    // `picked` is sorted by input, so each input runs once.
    for (size_t begin = 0; begin < picked.size();) {
        std::vector<size_t> which;  // the distinct inputs of this batch, in order
        size_t end = begin;
        while (end < picked.size()) {
            if (which.empty() || which.back() != picked[end].first) {
                if (which.size() == kBatch) break;
                which.push_back(picked[end].first);
            }
            ++end;
        }
        std::vector<Encoding> batch;
        for (size_t i : which) batch.push_back(inputs[i].encoding);
        if (stop.stop_requested()) throw Cancelled();
        const std::vector<Trace> traces = model.forwardBatch(batch, probe, stop);
        for (size_t k = begin; k < end; ++k) {
            const size_t n = static_cast<size_t>(std::find(which.begin(), which.end(), picked[k].first) - which.begin());
            const auto [position, label] = inputs[picked[k].first].rows[picked[k].second];
            const Trace& t = traces[n];
            for (int l = 0; l <= L; ++l) {
                const Matrix& h = t.hiddenStates[static_cast<size_t>(l)];
                layers[static_cast<size_t>(l)].row(static_cast<Eigen::Index>(row)) =
                    position < 0 ? Eigen::RowVectorXf(h.colwise().mean()) : Eigen::RowVectorXf(h.row(position));
            }
            labels[row++] = label;
        }
        begin = end;
    }
    return layers;
}

// Softmax regression by full-batch Adam on standardised features; returns the fitted predictor.
struct SoftmaxRegression {
    Eigen::RowVectorXf mean, scale;
    Eigen::MatrixXf W;  // [H, K]
    Eigen::RowVectorXf b;

    void fit(const Features& X, const std::vector<int>& y, int K, const ProbeOptions& o)
    {
        const Eigen::Index N = X.rows(), H = X.cols();
        mean = X.colwise().mean();
        const Features centred = X.rowwise() - mean;
        scale = ((centred.array().square().colwise().sum() / std::max<Eigen::Index>(1, N)).sqrt() + 1e-6f).inverse();
        const Features Z = centred.array().rowwise() * scale.array();
        W = Eigen::MatrixXf::Zero(H, K);
        b = Eigen::RowVectorXf::Zero(K);
        Eigen::MatrixXf mW = W, vW = W;
        Eigen::RowVectorXf mb = b, vb = b;
        for (int it = 1; it <= o.iterations; ++it) {
            Eigen::MatrixXf P = (Z * W).rowwise() + b;
            P = (P.colwise() - P.rowwise().maxCoeff()).array().exp();
            P.array().colwise() /= P.rowwise().sum().array();
            for (Eigen::Index i = 0; i < N; ++i) P(i, y[static_cast<size_t>(i)]) -= 1.0f;
            P /= static_cast<float>(N);
            const Eigen::MatrixXf gW = Z.transpose() * P + static_cast<float>(o.l2) * W;
            const Eigen::RowVectorXf gb = P.colwise().sum();
            const float b1 = 0.9f, b2 = 0.999f;
            mW = b1 * mW + (1 - b1) * gW, vW = b2 * vW + (1 - b2) * gW.cwiseAbs2();
            mb = b1 * mb + (1 - b1) * gb, vb = b2 * vb + (1 - b2) * gb.cwiseAbs2();
            const float c1 = 1.0f - std::pow(b1, static_cast<float>(it)), c2 = 1.0f - std::pow(b2, static_cast<float>(it));
            const float lr = static_cast<float>(o.lr);
            W.array() -= lr * (mW.array() / c1) / ((vW.array() / c2).sqrt() + 1e-8f);
            b.array() -= lr * (mb.array() / c1) / ((vb.array() / c2).sqrt() + 1e-8f);
        }
    }

    double accuracy(const Features& X, const std::vector<int>& y) const
    {
        if (X.rows() == 0) return 0.0;
        const Features Z = (X.rowwise() - mean).array().rowwise() * scale.array();
        const Eigen::MatrixXf S = (Z * W).rowwise() + b;
        int right = 0;
        for (Eigen::Index i = 0; i < S.rows(); ++i) {
            Eigen::Index best = 0;
            S.row(i).maxCoeff(&best);
            right += static_cast<int>(best) == y[static_cast<size_t>(i)];
        }
        return static_cast<double>(right) / static_cast<double>(S.rows());
    }
};

} // namespace

ProbeResult runLinearProbe(const BertModel& model, const std::string& trainPath, const std::string& devPath,
                           const ProbeOptions& o, std::stop_token stop, const ProbeProgress& progress)
{
    if (o.task == ClassifierTask::None) throw Error("a probe needs --task token or sequence");
    if (o.maxSeqLength < 3 || o.maxSeqLength > model.config().maxPositionEmbeddings)
        throw Error("--max-seq-length must be from 3 to the model's " +
                    std::to_string(model.config().maxPositionEmbeddings) + " positions");
    ProbeResult result;
    result.labels = labelsOf(trainPath, o.task);
    std::map<std::string, int> ids;
    for (size_t i = 0; i < result.labels.size(); ++i) ids[result.labels[i]] = static_cast<int>(i);
    const std::vector<ProbeInput> train = inputsOf(model, trainPath, o, ids);
    const std::vector<ProbeInput> dev = inputsOf(model, devPath, o, ids);
    const int K = static_cast<int>(result.labels.size());
    if (K < 2) throw Error(trainPath + ": a probe needs at least two different labels");

    // Training items: all, or a seeded sample of maxTrainItems kept in file order.
    std::vector<std::pair<size_t, size_t>> trainRows, devRows;
    for (size_t i = 0; i < train.size(); ++i)
        for (size_t r = 0; r < train[i].rows.size(); ++r) trainRows.emplace_back(i, r);
    for (size_t i = 0; i < dev.size(); ++i)
        for (size_t r = 0; r < dev[i].rows.size(); ++r) devRows.emplace_back(i, r);
    if (devRows.empty()) throw Error(devPath + ": no labelled items");
    if (static_cast<int>(trainRows.size()) > o.maxTrainItems) {
        std::vector<std::pair<uint64_t, size_t>> keyed;
        for (size_t i = 0; i < trainRows.size(); ++i)
            keyed.emplace_back(layers::mixKey(o.seed, static_cast<uint64_t>(i)), i);
        std::partial_sort(keyed.begin(), keyed.begin() + o.maxTrainItems, keyed.end());
        std::vector<size_t> keep;
        for (int i = 0; i < o.maxTrainItems; ++i) keep.push_back(keyed[static_cast<size_t>(i)].second);
        std::sort(keep.begin(), keep.end());
        std::vector<std::pair<size_t, size_t>> sampled;
        for (size_t i : keep) sampled.push_back(trainRows[i]);
        trainRows = std::move(sampled);
    }

    // Majority baseline: the training file's most frequent label (all its items, not the sample).
    std::vector<int> counts(static_cast<size_t>(K), 0);
    for (const ProbeInput& in : train)
        for (const auto& [position, label] : in.rows) ++counts[static_cast<size_t>(label)];
    const int majority = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    result.majorityLabel = result.labels[static_cast<size_t>(majority)];

    const int L = model.config().numHiddenLayers;
    const int total = L + 2;
    if (progress) progress(0, total);
    std::vector<int> trainLabels, devLabels;
    const std::vector<Features> trainX = featuresOf(model, train, trainRows, trainLabels, stop);
    const std::vector<Features> devX = featuresOf(model, dev, devRows, devLabels, stop);
    if (progress) progress(1, total);
    result.trainItems = static_cast<int>(trainLabels.size());
    result.devItems = static_cast<int>(devLabels.size());
    result.majorityBaseline =
        static_cast<double>(std::count(devLabels.begin(), devLabels.end(), majority)) / static_cast<double>(devLabels.size());
    for (int l = 0; l <= L; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        SoftmaxRegression probe;
        probe.fit(trainX[static_cast<size_t>(l)], trainLabels, K, o);
        result.layers.push_back({l, probe.accuracy(devX[static_cast<size_t>(l)], devLabels),
                                 probe.accuracy(trainX[static_cast<size_t>(l)], trainLabels)});
        if (progress) progress(l + 2, total);
    }
    return result;
}

} // namespace bertlab
