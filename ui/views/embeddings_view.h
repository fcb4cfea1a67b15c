// The Embeddings tab: the input-representation figure, position similarity, PCA paths, neighbours.
#pragma once

#include "analysis_view.h"
#include "vector_math.h"

#include <memory>
#include <unordered_map>
#include <vector>

class QCPItemRect;
class QCustomPlot;
class QLabel;
class QScrollArea;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace bertlab::ui {

class EmbeddingFigure;
class TokenPathsPlottable;

class EmbeddingsView : public AnalysisView {
    Q_OBJECT
public:
    explicit EmbeddingsView(QWidget* parent = nullptr);

    QString title() const override { return tr("Embeddings"); }
    QString name() const override { return QStringLiteral("embeddings"); }
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
    TokenPathsPlottable* pcaPaths() const { return pcaPaths_; }
    QTableWidget* neighbourTable() const { return neighbours_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void updatePositionPlot();      // the whole plot: once per model, font or palette
    void updateUsedPositions();     // only the dashed square: once per analysis
    void placeUsedPositions();      // the square's corners for the current input
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
    TokenPathsPlottable* pcaPaths_ = nullptr;  // owned by pcaPlot_
    QLabel* neighbourTitle_ = nullptr;
    QTableWidget* neighbours_ = nullptr;
    int selected_ = -1;
    bool presentation_ = false;

    // Per-model caches (the model is immutable once loaded). A weak pointer, so a new model that
    // happens to reuse the old one's address is still noticed.
    std::weak_ptr<const BertModel> cachedModel_;
    Matrix positionSimilarity_;      // [P, P]
    Eigen::VectorXf wordNorms_;      // [V]
    // Nearest neighbours by token id: the selected token rarely changes while the user types.
    std::unordered_map<int, std::vector<vecmath::Neighbour>> neighbourCache_;
    QCPItemRect* usedPositions_ = nullptr;  // owned by positionPlot_
    Matrix pcaCoords_;               // [(L+1) * T, 2] for the current analysis, layer-major
    vecmath::Pca2 pca_;
};

} // namespace bertlab::ui
