// The interface every explorer view implements: it redraws from an Analysis and exports its plots.
#pragma once

#include "analysis.h"

#include <QString>
#include <QStringList>
#include <QWidget>

namespace bertlab::ui {

class AnalysisView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual QString title() const = 0;           // tab title, e.g. "Attention" (translated)
    // The English title in file-name form, e.g. "next-sentence": screenshots and sessions use it so
    // that their names do not depend on the UI language.
    virtual QString name() const = 0;
    virtual QString explanation() const = 0;     // "what am I looking at?" text (a few sentences)
    virtual void setAnalysis(AnalysisPtr analysis) = 0;  // null: clear to an empty state
    // Views that draw the masked-word guesses say so: while another view is on screen, the window
    // shows an analysis before its MLM head has run and adds the guesses a moment later.
    virtual bool showsMaskedGuesses() const { return false; }
    // Views that compute in the background after setAnalysis (attribution, head importance) say so
    // until they have drawn; exports and screenshots wait for them.
    virtual bool isBusy() const { return false; }

    // Layer / head selection shared by all views (views that don't care ignore it).
    virtual void setLayerHead(int layer, int head) { Q_UNUSED(layer); Q_UNUSED(head); }
    // Presentation mode: larger fonts and thicker lines for projectors.
    virtual void setPresentationMode(bool on) { Q_UNUSED(on); }

    // Export: the view's main plot to PNG (at dpi) / PDF / SVG, its matrices to CSV / JSON.
    // Return false and set *error on failure. Paths are final names; write via a temp name.
    virtual bool exportImage(const QString& path, int dpi, QString* error) = 0;
    virtual bool exportData(const QString& path, QString* error) = 0;  // .csv or .json by suffix

signals:
    // A view asks the window to change the shared selection (e.g. a click in the heads grid).
    void layerHeadRequested(int layer, int head);
    // A view asks to toggle [MASK] at a token position.
    void maskToggleRequested(int position);
    // A view asks to switch a head (or every head of a layer) off, or back on (0-based).
    void headAblationToggleRequested(int layer, int head);
    void layerAblationToggleRequested(int layer);
    // A view asks the attribution view to explain a target ("mlm:POS:TOKEN" or "nsp"), e.g. a clicked guess.
    void attributionRequested(const QString& target);
};

} // namespace bertlab::ui
