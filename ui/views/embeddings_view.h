// The Embeddings tab: the input-representation figure, position similarity, PCA paths, neighbours.
#pragma once

#include "analysis_view.h"
#include "vector_math.h"

#include <memory>
#include <vector>

class QCustomPlot;
class QLabel;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace bertlab::ui {

class EmbeddingFigure;

class EmbeddingsView : public AnalysisView {
    Q_OBJECT
public:
    explicit EmbeddingsView(QWidget* parent = nullptr);

    QString title() const override { return tr("Embeddings"); }
    QString explanation() const override;
    void setAnalysis(AnalysisPtr analysis) override;
    void setLayerHead(int layer, int head) override;
    void setPresentationMode(bool on) override;
    bool exportImage(const QString& path, int dpi, QString* error) override;
    bool exportData(const QString& path, QString* error) override;

    // Selects a token for the neighbour list (what clicking a column does).
    void selectToken(int position);
    int pcaLayer() const;  // hidden-state index shown, 0 = embedding output

    EmbeddingFigure* figure() const { return figure_; }
    QCustomPlot* positionPlot() const { return positionPlot_; }
    QCustomPlot* pcaPlot() const { return pcaPlot_; }
    QTableWidget* neighbourTable() const { return neighbours_; }

private:
    void updatePositionPlot();
    void updatePca();
    void updateNeighbours();
    void applyPlotFonts();

    AnalysisPtr analysis_;
    QStackedWidget* stack_ = nullptr;
    QWidget* content_ = nullptr;
    QLabel* emptyLabel_ = nullptr;
    QScrollArea* figureScroll_ = nullptr;
    EmbeddingFigure* figure_ = nullptr;
    QCustomPlot* positionPlot_ = nullptr;
    QCustomPlot* pcaPlot_ = nullptr;
    QSpinBox* pcaLayerSpin_ = nullptr;
    QLabel* neighbourTitle_ = nullptr;
    QTableWidget* neighbours_ = nullptr;
    int selected_ = -1;
    bool presentation_ = false;

    // Per-model caches (the model is immutable once loaded).
    const BertModel* cachedModel_ = nullptr;
    Matrix positionSimilarity_;      // [P, P]
    Eigen::VectorXf wordNorms_;      // [V]
    Matrix pcaCoords_;               // [(L+1) * T, 2] for the current analysis, layer-major
    vecmath::Pca2 pca_;
};

} // namespace bertlab::ui
