// Edits the explorer's set of switched-off heads and names it for people.
#include "ablation_controller.h"

#include "error.h"

#include <QStringList>

namespace bertlab::ui {

AblationController::AblationController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<bertlab::HeadAblation>("bertlab::HeadAblation");
}

void AblationController::setModelShape(int layers, int heads)
{
    ablation_ = HeadAblation(layers, heads);
    emit changed(ablation_);
}

void AblationController::toggleHead(int layer, int head)
{
    if (layer < 0 || head < 0 || layer >= ablation_.layers() || head >= ablation_.heads())
        return;
    ablation_.setOff(layer, head, !ablation_.isOff(layer, head));
    emit changed(ablation_);
}

void AblationController::toggleLayer(int layer)
{
    if (layer < 0 || layer >= ablation_.layers())
        return;
    ablation_.setLayerOff(layer, !ablation_.isLayerOff(layer));
    emit changed(ablation_);
}

void AblationController::reset()
{
    if (ablation_.empty())
        return;
    ablation_.clear();
    emit changed(ablation_);
}

void AblationController::setAblation(const HeadAblation& ablation)
{
    if (ablation.layers() != ablation_.layers() || ablation.heads() != ablation_.heads() || ablation == ablation_)
        return;
    ablation_ = ablation;
    emit changed(ablation_);
}

bool AblationController::setFromString(const QString& spec, QString* error)
{
    try {
        const HeadAblation parsed = spec.trimmed().isEmpty()
                                        ? HeadAblation(ablation_.layers(), ablation_.heads())
                                        : HeadAblation::parse(spec.trimmed().toStdString(), ablation_.layers(), ablation_.heads());
        setAblation(parsed);
        return true;
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

QString AblationController::describe(const HeadAblation& ablation)
{
    QStringList parts;
    for (int l = 0; l < ablation.layers(); ++l) {
        if (ablation.isLayerOff(l)) {
            parts << tr("L%1 (all heads)").arg(l + 1);
            continue;
        }
        for (int h = 0; h < ablation.heads(); ++h)
            if (ablation.isOff(l, h))
                parts << tr("L%1 H%2").arg(l + 1).arg(h + 1);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace bertlab::ui
