// Draws a ClassifierOutput: bars best first for a sequence classifier, labelled word chips and a table for a token one.
#include "views/classifier_view.h"

#include "ablation_controller.h"
#include "classifier_pass.h"
#include "colormaps.h"
#include "export.h"
#include "views/colored_token_strip.h"
#include "views/percent_text.h"
#include "views/label_bars.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace bertlab::ui {

namespace {

QString labelName(const ClassifierOutput& o, int id)
{
    return id >= 0 && id < static_cast<int>(o.labels.size()) ? QString::fromStdString(o.labels[static_cast<size_t>(id)])
                                                               : QStringLiteral("LABEL_%1").arg(id);
}

// Label ids by falling probability (ties: lower id first, as a stable sort leaves them).
std::vector<int> bestFirst(const std::vector<float>& probs)
{
    std::vector<int> order(probs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return probs[static_cast<size_t>(a)] > probs[static_cast<size_t>(b)]; });
    return order;
}

} // namespace

ClassifierView::ClassifierView(QWidget* parent) : AnalysisView(parent)
{
    auto* outer = new QVBoxLayout(this);
    state_ = new QLabel(this);
    state_->setWordWrap(true);
    outer->addWidget(state_);
    content_ = new QWidget(this);
    content_->setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(content_);
    headline_ = new QLabel(content_);
    headline_->setWordWrap(true);
    bars_ = new LabelBars(content_);
    strip_ = new ColoredTokenStrip(content_);
    strip_->setAccessibleName(tr("Words coloured by their label"));
    table_ = new QTableWidget(content_);
    table_->setColumnCount(3);
    table_->setHorizontalHeaderLabels({tr("Word"), tr("Label"), tr("Probability")});
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMinimumHeight(160);
    note_ = new QLabel(content_);
    note_->setWordWrap(true);
    layout->addWidget(headline_);
    layout->addWidget(bars_);
    layout->addWidget(strip_);
    layout->addWidget(table_, 1);
    layout->addWidget(note_);
    layout->addStretch(0);
    outer->addWidget(content_, 1);
    setPresentationMode(false);
    showState(tr("Type a sentence to see what the fine-tuned classifier says about it."));
}

ClassifierView::~ClassifierView() = default;

QString ClassifierView::title() const
{
    return tr("Classifier");
}

QString ClassifierView::explanation() const
{
    return tr("This model was fine-tuned for a task: a small classifier (one linear layer) sits on top of BERT. A "
              "sequence classifier reads the pooled [CLS] vector of the sentence (pair) and gives one score "
              "(logit) per label; their softmax is the probability of each label, listed best first. A token "
              "classifier reads every token's last hidden state and labels each word at its first wordpiece "
              "(the text is split at spaces, as `bertlab-cli classify` does). The numbers are exactly what "
              "`bertlab-cli classify` prints for the same text.");
}

QString ClassifierView::stateMessage() const
{
    return state_->isHidden() ? QString() : state_->text();
}

QString ClassifierView::headline() const
{
    return content_->isHidden() ? QString() : headline_->text();
}

void ClassifierView::showState(const QString& message)
{
    state_->setText(message);
    state_->setHidden(false);
    content_->setHidden(true);
}

void ClassifierView::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    if (!analysis_) {
        output_.reset();
        showState(tr("Type a sentence to see what the fine-tuned classifier says about it."));
        return;
    }
    const std::shared_ptr<const BertModel>& model = analysis_->model;
    if (model && model->config().classifierTask() == ClassifierTask::None) {
        output_.reset();
        showState(tr("This model has no classifier: it was not fine-tuned for a task. Use Training ▸ Fine-tune… "
                     "to make one."));
        return;
    }
    if (model && !model->hasClassifier()) {
        output_.reset();
        showState(tr("Classifier missing: config.json names a %1 classifier, but its classifier.* weights (or the "
                     "pooler) are not in the checkpoint. bertlab never answers with a random head.")
                      .arg(QString::fromLatin1(classifierTaskName(model->config().classifierTask()))));
        return;
    }
    if (!analysis_->classificationError.isEmpty()) {
        output_.reset();
        showState(analysis_->classificationError);
        return;
    }
    if (!analysis_->classification) {
        // A bfloat16 preview: the classifier answers with the exact pass, a moment later.
        if (!output_)
            showState(tr("Classifying…"));
        return;
    }
    output_ = analysis_->classification;
    state_->setHidden(true);
    content_->setHidden(false);
    if (output_->sequence)
        showSequence();
    else if (output_->tokens)
        showTokens();
    else
        showState(tr("This model's classifier task is not one bertlab knows."));
}

void ClassifierView::showSequence()
{
    const SequenceClassification& s = *output_->sequence;
    const std::vector<int> order = bestFirst(s.probs);
    std::vector<LabelBar> bars;
    for (int id : order)
        bars.push_back({labelName(*output_, id), static_cast<double>(s.probs[static_cast<size_t>(id)]), id});
    bars_->setBars(std::move(bars));
    headline_->setText(order.empty() ? QString()
                                     : tr("%1: %2").arg(labelName(*output_, order.front()),
                                                        percentText(s.probs[static_cast<size_t>(order.front())])));
    QStringList logits;
    for (size_t k = 0; k < s.logits.size(); ++k)
        logits << QStringLiteral("%1 %2").arg(labelName(*output_, static_cast<int>(k)))
                      .arg(static_cast<double>(s.logits[k]), 0, 'f', 3);
    const bool pair = analysis_ && !analysis_->request.textB.trimmed().isEmpty();
    QString note = tr("Sequence classifier over %1. Logits: %2 — their softmax gives the probabilities.")
                       .arg(pair ? tr("the sentence pair") : tr("sentence A"), logits.join(QStringLiteral(", ")));
    const ClassifierOutput* intact = analysis_ ? analysis_->intactClassification.get() : nullptr;
    if (intact && intact->sequence && !order.empty()) {
        // The same question with every head on: what switching heads off changed.
        const std::vector<float>& before = intact->sequence->probs;
        QStringList was;
        for (int id : bestFirst(before))
            was << QStringLiteral("%1 %2").arg(labelName(*output_, id), percentText(before[static_cast<size_t>(id)]));
        headline_->setText(tr("%1: %2 (all heads on: %3)")
                               .arg(labelName(*output_, order.front()), percentText(s.probs[static_cast<size_t>(order.front())]),
                                    percentText(before[static_cast<size_t>(order.front())])));
        note = tr("Heads switched off: %1. With every head on: %2.")
                   .arg(AblationController::describe(analysis_->request.ablation), was.join(QStringLiteral(", "))) +
               QLatin1Char(' ') + note;
    }
    note_->setText(note);
    bars_->setHidden(false);
    strip_->setHidden(true);
    table_->setHidden(true);
}

void ClassifierView::showTokens()
{
    const TokenClassification& t = *output_->tokens;
    std::vector<ColoredChip> chips;
    table_->setRowCount(static_cast<int>(t.words.size()));
    for (size_t w = 0; w < t.words.size(); ++w) {
        const WordLabel& wl = t.words[w];
        const QString label = labelName(*output_, wl.label);
        ColoredChip chip;
        chip.text = QString::fromStdString(wl.word);
        chip.subText = QStringLiteral("%1 %2").arg(label, percentText(wl.prob));
        chip.background = categoricalColor(wl.label).lighter(130);
        chip.toolTip = tr("%1: %2 (%3)").arg(chip.text, label, percentText(wl.prob));
        const ClassifierOutput* intact = analysis_ ? analysis_->intactClassification.get() : nullptr;
        if (intact && intact->tokens && w < intact->tokens->words.size()) {
            const WordLabel& before = intact->tokens->words[w];
            if (before.label != wl.label) {
                // Only the words whose label the switched-off heads changed say so.
                chip.subText += QStringLiteral(" ◆");
                chip.toolTip += QLatin1Char('\n') + tr("With every head on: %1 (%2)")
                                                     .arg(labelName(*output_, before.label), percentText(before.prob));
            }
        }
        chips.push_back(chip);
        const int row = static_cast<int>(w);
        table_->setItem(row, 0, new QTableWidgetItem(chip.text));
        table_->setItem(row, 1, new QTableWidgetItem(label));
        auto* p = new QTableWidgetItem(percentText(wl.prob));
        p->setData(Qt::UserRole, static_cast<double>(wl.prob));
        table_->setItem(row, 2, p);
    }
    strip_->setChips(std::move(chips));
    headline_->setText(tr("A label for each word (%1 words)").arg(t.words.size()));
    QString note = tr("Token classifier: each word is labelled at its first wordpiece; sentence B is not read.");
    if (analysis_ && analysis_->intactClassification)
        note += QLatin1Char(' ') + tr("Heads switched off: %1; ◆ marks a word whose label they changed (its tooltip "
                                      "gives the label with every head on).")
                                       .arg(AblationController::describe(analysis_->request.ablation));
    note_->setText(note);
    bars_->setHidden(true);
    strip_->setHidden(false);
    table_->setHidden(false);
}

void ClassifierView::setPresentationMode(bool on)
{
    const double s = on ? 1.5 : 1.0;
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 1.8 * s);
    big.setBold(true);
    headline_->setFont(big);
    QFont normal = font();
    normal.setPointSizeF(font().pointSizeF() * s);
    for (QLabel* l : {note_, state_})
        l->setFont(normal);
    table_->setFont(normal);
    bars_->setPresentationMode(on);
    strip_->setPresentationMode(on);
}

bool ClassifierView::exportImage(const QString& path, int dpi, QString* error)
{
    if (!output_ || content_->isHidden()) {
        if (error)
            *error = tr("Nothing to export: the classifier has not answered.");
        return false;
    }
    if (content_->width() < 300)
        content_->resize(700, std::max(content_->heightForWidth(700), content_->sizeHint().height()));
    return exporting::saveWidget(content_, path, dpi, error);
}

bool ClassifierView::exportData(const QString& path, QString* error)
{
    if (!output_ || content_->isHidden()) {
        if (error)
            *error = tr("Nothing to export: the classifier has not answered.");
        return false;
    }
    exporting::Table t;
    QJsonObject extra;
    if (output_->sequence) {
        const SequenceClassification& s = *output_->sequence;
        t.name = tr("label probabilities");
        t.cols = 2;
        t.colLabels = {QStringLiteral("probability"), QStringLiteral("logit")};
        QJsonArray labels, logits;
        for (int id : bestFirst(s.probs)) {
            t.rowLabels << labelName(*output_, id);
            t.values.push_back(s.probs[static_cast<size_t>(id)]);
            t.values.push_back(s.logits[static_cast<size_t>(id)]);
            labels.append(QJsonObject{{QStringLiteral("label"), labelName(*output_, id)},
                                      {QStringLiteral("prob"), static_cast<double>(s.probs[static_cast<size_t>(id)])}});
        }
        for (float l : s.logits)
            logits.append(static_cast<double>(l));
        t.rows = static_cast<int>(t.rowLabels.size());
        extra.insert(QStringLiteral("task"), QStringLiteral("sequence"));
        extra.insert(QStringLiteral("labels"), labels);
        extra.insert(QStringLiteral("logits"), logits);
    } else {
        const TokenClassification& tc = *output_->tokens;
        t.name = tr("word label probabilities");
        t.cols = static_cast<int>(output_->labels.size());
        for (int k = 0; k < t.cols; ++k)
            t.colLabels << labelName(*output_, k);
        QJsonArray words, tokens;
        for (const WordLabel& w : tc.words) {
            t.rowLabels << QString::fromStdString(w.word);
            for (int k = 0; k < t.cols; ++k)
                t.values.push_back(k < static_cast<int>(w.probs.size()) ? w.probs[static_cast<size_t>(k)] : 0.0);
            words.append(QJsonObject{{QStringLiteral("word"), QString::fromStdString(w.word)},
                                     {QStringLiteral("label"), labelName(*output_, w.label)},
                                     {QStringLiteral("prob"), static_cast<double>(w.prob)}});
        }
        for (const std::string& tok : tc.input.encoding.tokens)
            tokens.append(QString::fromStdString(tok));
        t.rows = static_cast<int>(t.rowLabels.size());
        extra.insert(QStringLiteral("task"), QStringLiteral("token"));
        extra.insert(QStringLiteral("words"), words);
        extra.insert(QStringLiteral("tokens"), tokens);
    }
    if (exporting::dataFormatFor(path) != exporting::DataFormat::Json)
        return exporting::saveTable(t, path, error);
    return exporting::saveTables({t}, path, error, extra);
}

} // namespace bertlab::ui
