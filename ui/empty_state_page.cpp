// Lays out the empty state centred, with the wrapped message at its full height.
#include "empty_state_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace bertlab::ui {

EmptyStatePage::EmptyStatePage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyState"));
    auto* title = new QLabel(tr("No model loaded"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto* message = new QLabel(tr("Open a BERT model folder (config.json, vocab.txt and model.safetensors, "
                                  "pytorch_model.bin or a TensorFlow checkpoint), or drop it on this window."),
                               this);
    message->setWordWrap(true);
    message->setAlignment(Qt::AlignCenter);
    message->setFixedWidth(560);  // a fixed width lets the wrapped text get its full height
    auto* openButton = new QPushButton(tr("Open Model…"), this);
    openButton->setObjectName(QStringLiteral("emptyOpenButton"));
    openButton->setDefault(true);
    connect(openButton, &QPushButton::clicked, this, &EmptyStatePage::openRequested);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(title, 0, Qt::AlignHCenter);
    // Centred by stretches rather than an alignment flag: aligned items lose height-for-width, which
    // clips wrapped text.
    auto* messageRow = new QHBoxLayout;
    messageRow->addStretch(1);
    messageRow->addWidget(message);
    messageRow->addStretch(1);
    layout->addLayout(messageRow);
    layout->addSpacing(12);
    layout->addWidget(openButton, 0, Qt::AlignHCenter);
    layout->addStretch(3);
}

} // namespace bertlab::ui
