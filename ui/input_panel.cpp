// The input panel: editors, debounce, mask bookkeeping and the token strip's tooltips.
#include "input_panel.h"

#include "token_strip.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace bertlab::ui {

namespace {

// Code-point span [begin, end) of text, as the tokenizer's offsets count them.
QString codePointSpan(const QString& text, int begin, int end)
{
    const QList<uint> ucs4 = text.toUcs4();
    begin = std::clamp(begin, 0, static_cast<int>(ucs4.size()));
    end = std::clamp(end, begin, static_cast<int>(ucs4.size()));
    const QList<uint> part = ucs4.mid(begin, end - begin);
    return QString::fromUcs4(reinterpret_cast<const char32_t*>(part.constData()), part.size());
}

} // namespace

InputPanel::InputPanel(QWidget* parent) : QWidget(parent)
{
    editA_ = new QLineEdit(this);
    editA_->setObjectName(QStringLiteral("sentenceA"));
    editA_->setPlaceholderText(tr("Type a sentence, e.g. the man went to the [MASK] ."));
    editA_->setClearButtonEnabled(true);
    editB_ = new QLineEdit(this);
    editB_->setObjectName(QStringLiteral("sentenceB"));
    editB_->setPlaceholderText(tr("Optional second sentence (for next-sentence prediction)"));
    editB_->setClearButtonEnabled(true);

    auto* labelA = new QLabel(tr("Sentence &A"), this);
    labelA->setBuddy(editA_);
    auto* labelB = new QLabel(tr("Sentence &B"), this);
    labelB->setBuddy(editB_);

    strip_ = new TokenStrip(this);
    strip_->setObjectName(QStringLiteral("tokenStrip"));
    warning_ = new QLabel(this);
    warning_->setObjectName(QStringLiteral("truncationWarning"));
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QStringLiteral("QLabel { color: #d55e00; font-weight: bold; }"));
    warning_->hide();
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    hint_->setForegroundRole(QPalette::PlaceholderText);

    auto* grid = new QGridLayout;
    grid->addWidget(labelA, 0, 0);
    grid->addWidget(editA_, 0, 1);
    grid->addWidget(labelB, 1, 0);
    grid->addWidget(editB_, 1, 1);
    grid->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 2);
    layout->addLayout(grid);
    layout->addWidget(strip_);
    layout->addWidget(warning_);
    layout->addWidget(hint_);

    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(kDebounceMs);
    connect(debounce_, &QTimer::timeout, this, &InputPanel::requestChanged);
    connect(editA_, &QLineEdit::textEdited, this, &InputPanel::onEdited);
    connect(editB_, &QLineEdit::textEdited, this, &InputPanel::onEdited);
    connect(strip_, &TokenStrip::tokenClicked, this, &InputPanel::toggleMask);
    updateMaskHint();
}

QString InputPanel::textA() const
{
    return editA_->text();
}

QString InputPanel::textB() const
{
    return editB_->text();
}

void InputPanel::onEdited()
{
    editedSinceAnalysis_ = true;
    debounce_->start();
}

void InputPanel::setTexts(const QString& a, const QString& b)
{
    debounce_->stop();
    editA_->setText(a);
    editB_->setText(b);
    lastTokens_.clear();  // a new text: masks refer to its positions, nothing to re-map
    editedSinceAnalysis_ = false;
    emit requestChanged();
}

void InputPanel::setMasks(std::vector<int> masks)
{
    std::sort(masks.begin(), masks.end());
    masks.erase(std::unique(masks.begin(), masks.end()), masks.end());
    masks.erase(std::remove_if(masks.begin(), masks.end(), [](int m) { return m < 0; }), masks.end());
    masks_ = std::move(masks);
    updateMaskHint();
    emit requestChanged();
}

void InputPanel::toggleMask(int position)
{
    std::vector<int> masks = masks_;
    const auto it = std::find(masks.begin(), masks.end(), position);
    if (it != masks.end())
        masks.erase(it);
    else
        masks.push_back(position);
    setMasks(std::move(masks));
}

void InputPanel::setAnalysis(const AnalysisPtr& analysis)
{
    if (!analysis) {
        clear();
        return;
    }
    const Encoding& original = analysis->original;
    const Encoding& seen = analysis->encoding;
    const bool current = analysis->request.textA == textA() && analysis->request.textB == textB();

    // After an edit, a mask stays only if its position still holds the same wordpiece.
    if (current && editedSinceAnalysis_ && !lastTokens_.empty()) {
        std::vector<int> kept;
        for (int m : masks_) {
            const auto pos = static_cast<size_t>(m);
            if (m < original.size() && pos < lastTokens_.size() && original.tokens[pos] == lastTokens_[pos] &&
                !original.specialMask[pos])
                kept.push_back(m);
        }
        editedSinceAnalysis_ = false;
        if (kept != masks_) {
            lastTokens_ = original.tokens;
            setMasks(std::move(kept));
        }
    }
    if (current)
        editedSinceAnalysis_ = false;
    lastTokens_ = original.tokens;

    const QString a = analysis->request.textA;
    const QString b = analysis->request.textB;
    std::vector<TokenChip> chips;
    chips.reserve(static_cast<size_t>(seen.size()));
    for (int i = 0; i < seen.size(); ++i) {
        const auto k = static_cast<size_t>(i);
        TokenChip chip;
        chip.text = QString::fromStdString(seen.tokens[k]);
        chip.original = QString::fromStdString(original.tokens[k]);
        chip.id = seen.ids[k];
        chip.segment = original.segment[k];
        chip.typeId = original.typeIds[k];
        chip.special = original.specialMask[k];
        chip.typedMask = original.tokens[k] == "[MASK]";
        chip.masked = !chip.typedMask && seen.tokens[k] == "[MASK]";
        QString where;
        if (chip.special) {
            where = tr("special token added by the tokenizer");
        } else {
            const auto [begin, end] = original.offsets[k];
            const QString& sentence = chip.segment == 1 ? b : a;
            const QString source = codePointSpan(sentence, begin, end);
            where = tr("from “%1” (characters %2–%3 of sentence %4)")
                        .arg(source.toHtmlEscaped())
                        .arg(begin)
                        .arg(end)
                        .arg(chip.segment == 1 ? QStringLiteral("B") : QStringLiteral("A"));
        }
        QString tip = tr("<b>%1</b> &nbsp;id %2<br>%3<br>position %4, segment %5")
                          .arg(chip.text.toHtmlEscaped())
                          .arg(chip.id)
                          .arg(where)
                          .arg(i)
                          .arg(chip.typeId == 1 ? QStringLiteral("B") : QStringLiteral("A"));
        if (chip.masked)
            tip += tr("<br>masked (was <b>%1</b>); click to unmask").arg(chip.original.toHtmlEscaped());
        else if (chip.typedMask)
            tip += tr("<br>[MASK] typed in the text");
        else if (!chip.special)
            tip += tr("<br>click to replace it by [MASK]");
        chip.toolTip = tip;
        chips.push_back(std::move(chip));
    }
    strip_->setChips(std::move(chips));

    if (seen.truncated) {
        warning_->setText(tr("The pair was too long and was truncated to %1 tokens (longest sentence first); "
                             "the cut-off words are not shown.")
                              .arg(seen.size()));
        warning_->show();
    } else {
        warning_->hide();
    }
    setError({});
}

void InputPanel::setError(const QString& message)
{
    if (message.isEmpty()) {
        updateMaskHint();
        hint_->setStyleSheet(QString());
        return;
    }
    hint_->setText(message);
    hint_->setStyleSheet(QStringLiteral("QLabel { color: #d55e00; }"));
}

void InputPanel::clear()
{
    strip_->setChips({});
    warning_->hide();
    lastTokens_.clear();
    updateMaskHint();
}

bool InputPanel::isPending() const
{
    return debounce_->isActive();
}

void InputPanel::updateMaskHint()
{
    hint_->setText(masks_.empty()
                       ? tr("Click a token to replace it by [MASK] (or type [MASK]); hover a token to see "
                            "where it came from.")
                       : tr("%n token(s) masked; click a masked token to restore it.", nullptr,
                            static_cast<int>(masks_.size())));
}

} // namespace bertlab::ui
