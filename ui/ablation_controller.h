// Which heads the explorer has switched off: one HeadAblation for the loaded model, edited by clicks and shortcuts.
#pragma once

#include "attribution/head_ablation.h"

#include <QObject>
#include <QString>

namespace bertlab::ui {

// Every change is announced once (changed); the router then re-runs the analysis with the new
// multipliers, so every view follows. Indices are 0-based, the text form 1-based ("3:5").
class AblationController : public QObject {
    Q_OBJECT
public:
    explicit AblationController(QObject* parent = nullptr);

    const HeadAblation& ablation() const { return ablation_; }
    // A new model: its shape, nothing off.
    void setModelShape(int layers, int heads);

    void toggleHead(int layer, int head);
    // Switches the whole layer off, or back on when every head of it is off already.
    void toggleLayer(int layer);
    void reset();
    void setAblation(const HeadAblation& ablation);
    // The CLI's "L:H[,L:H...]" form; false + *error (one line) when it does not fit the model.
    bool setFromString(const QString& spec, QString* error);

    // "L3 H5, L4 (all heads)": how the banner and tooltips name what is off; empty when nothing is.
    static QString describe(const HeadAblation& ablation);

signals:
    void changed(const bertlab::HeadAblation& ablation);

private:
    HeadAblation ablation_;
};

} // namespace bertlab::ui
