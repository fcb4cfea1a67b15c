// Renders ModelInfo, BertConfig and the engine's memory decision as a small HTML table.
#include "model_card.h"

#include "hub/repo_id.h"

#include <QDir>
#include <QFileInfo>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace bertlab::ui {

ModelCard::ModelCard(QWidget* parent) : QWidget(parent)
{
    browser_ = new QTextBrowser(this);
    browser_->setObjectName(QStringLiteral("modelCard"));
    browser_->setOpenLinks(false);
    browser_->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(browser_);
    setModel(nullptr);
}

QString ModelCard::displayName(const BertModel& model)
{
    const QFileInfo info(QString::fromStdString(model.info().path));
    const QDir folder = info.isDir() ? QDir(info.absoluteFilePath()) : info.absoluteDir();
    // A Hub cache snapshot (models--org--name/snapshots/<commit>) is called by its repo id, not its commit.
    QDir repo = folder;
    if (repo.cdUp() && repo.dirName() == QLatin1String("snapshots") && repo.cdUp()) {
        const std::string id = hub::repoIdFromFolderName(repo.dirName().toStdString());
        if (!id.empty())
            return QString::fromStdString(id);
    }
    if (info.isDir())
        return info.fileName();
    return folder.dirName().isEmpty() ? info.fileName() : folder.dirName();
}

QString ModelCard::formatCount(int64_t n)
{
    if (n >= 1'000'000'000)
        return QStringLiteral("%1 B").arg(n / 1e9, 0, 'f', 2);
    if (n >= 1'000'000)
        return QStringLiteral("%1 M").arg(n / 1e6, 0, 'f', 1);
    if (n >= 10'000)
        return QStringLiteral("%1 k").arg(n / 1e3, 0, 'f', 1);
    return QString::number(n);
}

QString ModelCard::formatBytes(int64_t n)
{
    const double b = static_cast<double>(n);
    if (b >= 1024.0 * 1024 * 1024)
        return QStringLiteral("%1 GiB").arg(b / (1024.0 * 1024 * 1024), 0, 'f', 2);
    if (b >= 1024.0 * 1024)
        return QStringLiteral("%1 MiB").arg(b / (1024.0 * 1024), 0, 'f', 1);
    if (b >= 1024.0)
        return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 bytes").arg(n);
}

void ModelCard::setModel(std::shared_ptr<const BertModel> model, const MemoryDecision& memory)
{
    if (!model) {
        browser_->setHtml(tr("<p><i>No model loaded.</i></p><p>Use <b>File ▸ Open Model…</b> or drop a "
                             "model folder on the window.</p>"));
        return;
    }
    const BertConfig& c = model->config();
    const ModelInfo& info = model->info();
    auto row = [](const QString& k, const QString& v) {
        return QStringLiteral("<tr><td style='padding-right:10px'><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    auto head = [](bool present) {
        return present ? tr("<span style='color:#009e73'>✔ present</span>")
                       : tr("<span style='color:#d55e00'>✘ missing</span>");
    };
    const QString name = displayName(*model);
    QString html = QStringLiteral("<h3 style='margin-bottom:4px'>%1</h3>").arg(name.toHtmlEscaped());
    html += QStringLiteral("<p style='margin-top:0'><small>%1</small></p>")
                .arg(QString::fromStdString(info.path).toHtmlEscaped());
    html += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    html += row(tr("Format"), QString::fromStdString(info.sourceFormat).toHtmlEscaped());
    html += row(tr("Layers"), QString::number(c.numHiddenLayers));
    html += row(tr("Hidden size"), QString::number(c.hiddenSize));
    html += row(tr("Heads"), tr("%1 × %2 dims").arg(c.numAttentionHeads).arg(c.headSize()));
    html += row(tr("Feed-forward"), QString::number(c.intermediateSize));
    html += row(tr("Activation"), QString::fromLatin1(activationName(c.hiddenAct)));
    html += row(tr("Vocabulary"), tr("%1 wordpieces").arg(model->vocab().size()));
    html += row(tr("Max positions"), QString::number(c.maxPositionEmbeddings));
    html += row(tr("Segment types"), QString::number(c.typeVocabSize));
    html += row(tr("Casing"), model->tokenizer().lowerCase() ? tr("uncased") : tr("cased"));
    html += row(tr("Parameters"), formatCount(info.parameterCount) +
                                      QStringLiteral(" (%1)").arg(QLocale::c().toString(static_cast<qlonglong>(
                                          info.parameterCount))));
    html += row(tr("Weight memory"), formatBytes(info.weightBytes));
    if (!memory.preview.reason.empty())  // why the engine made the preview's copies or not
        html += row(tr("Fast preview"), previewReason(memory.preview).toHtmlEscaped());
    html += row(tr("Pooler"), head(info.hasPooler || model->weights().pooler.has_value()));
    html += row(tr("Masked-LM head"), head(model->hasMlm()));
    html += row(tr("Next-sentence head"), head(model->hasNsp()));
    html += classifierRows(*model);
    html += QStringLiteral("</table>");
    if (!info.warnings.empty()) {
        html += tr("<p><b>Warnings</b></p><ul>");
        for (const std::string& w : info.warnings)
            html += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(w).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    browser_->setHtml(html);
}

QString ModelCard::previewReason(const MemoryChoice& preview)
{
    // The engine's sizes as it writes them ("200 MiB"), so the English card reads as its reason.
    const auto size = [](int64_t bytes) { return QString::fromStdString(formatMemorySize(bytes)); };
    using Rule = MemoryChoice::Rule;
    switch (preview.rule) {
    case Rule::NotAsked:
        return tr("off: not asked for");
    case Rule::NoNativeBfloat16:
        return tr("off: this CPU has no native bfloat16 (AMX or AVX-512 BF16)");
    case Rule::SmallModel:
        return tr("not needed: %1 of float32 weights, under the %2 where a bfloat16 preview pays off")
            .arg(size(preview.bytes), size(preview.limitBytes));
    case Rule::ShortOfMemory:
        return tr("off: %1 of free memory, under four times the %2 of bfloat16 copies")
            .arg(size(preview.bytes), size(preview.limitBytes));
    case Rule::Made:
        return tr("on: bfloat16 copies, %1").arg(size(preview.bytes));
    case Rule::Other:
        break;
    }
    return QString::fromStdString(preview.reason);  // an error's own words
}

QString ModelCard::classifierRows(const BertModel& model)
{
    const ModelInfo& info = model.info();
    auto row = [](const QString& k, const QString& v) {
        return QStringLiteral("<tr><td style='padding-right:10px'><b>%1</b></td><td>%2</td></tr>").arg(k, v);
    };
    if (info.classifierTask == ClassifierTask::None)
        return row(tr("Classifier"), tr("none (not fine-tuned)"));
    const QString task = info.classifierTask == ClassifierTask::Sequence ? tr("sequence classification")
                                                                         : tr("token classification");
    if (!info.hasClassifier)
        return row(tr("Classifier"), tr("%1 — <span style='color:#d55e00'>✘ classifier missing</span> (config.json "
                                        "names one, the checkpoint has no classifier.* weights)")
                                         .arg(task));
    QStringList labels;
    for (const std::string& l : model.labels())
        labels << QString::fromStdString(l).toHtmlEscaped();
    return row(tr("Classifier"), tr("<span style='color:#009e73'>✔</span> %1").arg(task)) +
           row(tr("Labels"), tr("%1: %2").arg(labels.size()).arg(labels.join(QStringLiteral(", "))));
}

QString ModelCard::text() const
{
    return browser_->toPlainText();
}

} // namespace bertlab::ui
