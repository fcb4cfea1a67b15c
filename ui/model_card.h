// A compact description of the loaded model: architecture, size, memory and why, heads, source format.
#pragma once

#include "bert_model.h"
#include "explorer_model_loader.h"

#include <QWidget>

#include <memory>

class QTextBrowser;

namespace bertlab::ui {

class ModelCard : public QWidget {
    Q_OBJECT
public:
    explicit ModelCard(QWidget* parent = nullptr);

    // Null: "no model loaded". `memory` is what the engine decided when it loaded the model; its
    // preview reason fills the Fast preview row.
    void setModel(std::shared_ptr<const BertModel> model, const MemoryDecision& memory = {});
    QString text() const;  // plain text of what is shown (for tests and copying)

    // The model's folder name (or the file name when the weights sit loose).
    static QString displayName(const BertModel& model);
    static QString formatCount(int64_t n);  // 109482240 -> "109.5 M"
    static QString formatBytes(int64_t n);  // 437929 -> "427.7 KiB"
    // Why the engine made the bfloat16 preview copies or not, in the window's language.
    static QString previewReason(const MemoryChoice& preview);
    // The fine-tuned classifier's rows: its task and labels, "classifier missing", or none.
    static QString classifierRows(const BertModel& model);

private:
    QTextBrowser* browser_ = nullptr;
};

} // namespace bertlab::ui
