// Paints the ablation banner in the colour of a warning, so numbers from a changed model are never mistaken for the intact one.
#include "ablation_banner.h"

#include "ablation_controller.h"
#include "colormaps.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace bertlab::ui {

AblationBanner::AblationBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("ablationBanner"));
    setFrameShape(QFrame::StyledPanel);
    // Okabe-Ito orange, light enough for black text in both palettes.
    const QColor tint = categoricalColor(1).lighter(150);
    setStyleSheet(QStringLiteral("#ablationBanner { background: %1; border: 1px solid %2; border-radius: 3px; }"
                                 "#ablationBanner QLabel { color: black; }")
                      .arg(tint.name(), categoricalColor(1).name()));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 8, 3);
    label_ = new QLabel(this);
    label_->setWordWrap(true);
    label_->setTextFormat(Qt::RichText);
    label_->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    layout->addWidget(label_, 1);
    reset_ = new QPushButton(tr("Reset (Ctrl+R)"), this);
    reset_->setToolTip(tr("Switch every head back on"));
    layout->addWidget(reset_);
    connect(reset_, &QPushButton::clicked, this, &AblationBanner::resetRequested);
    connect(label_, &QLabel::linkActivated, this, &AblationBanner::explainRequested);
    setHidden(true);
}

void AblationBanner::setAblation(const HeadAblation& ablation)
{
    const QString what = AblationController::describe(ablation);
    setHidden(what.isEmpty());
    plain_ = what.isEmpty() ? QString() : tr("Switched off: %1").arg(what);
    label_->setText(what.isEmpty() ? QString()
                                   : tr("<b>Switched off:</b> %1 &nbsp;·&nbsp; every view shows the model without "
                                        "them. <a href='explain'>What does this mean?</a>")
                                         .arg(what.toHtmlEscaped()));
}

} // namespace bertlab::ui
